"""Regional index evaluations: an authority runs the regional development index over its
sub-regions, reviews it and publishes it; a published evaluation is frozen and versioned."""
