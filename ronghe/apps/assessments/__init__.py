"""Enterprise self-assessments: answers, the review workflow of the national platform, stored scores."""
