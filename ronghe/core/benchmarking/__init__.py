"""Benchmarking (对标) and monitoring (监测) over scored results.

- :mod:`.columns`: the results frame (one row per scored assessment) and the metrics in it;
- :mod:`.cohorts`: peer groups (industry division/section, province, city, size band, everyone);
- :mod:`.suppression`: groups below a minimum size are replaced by a wider group (its own step);
- :mod:`.percentiles`: percentile rank, quartile, quantiles, gap to the top 10 %;
- :mod:`.peers`: an enterprise's panel against each peer group;
- :mod:`.dashboard`: a region's figures, overall or per sub-region, industry, size or year (DuckDB);
- :mod:`.report`: the same for every row of a results file (``ronghe assess benchmark``).

Method and worked example: docs/benchmarking.md.
"""
