"""Pure helpers of the reports: numbers written as Chinese government reports write them
(:mod:`numbers`), static SVG charts drawn the same in the HTML page and in the PDF (:mod:`charts`),
and WeasyPrint driven at a batch's pace (:mod:`drawing`)."""
