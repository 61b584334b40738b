"""Action-plan targets (行动计划目标) as versioned data, and their status from live figures.

- :mod:`.schema`: the targets file format (pydantic), one file per set of plans;
- :mod:`.load`: read and validate a file, every fault with its file, path and reason;
- :mod:`.status`: measure a target's metric over scored results or index values, and judge it:
  value now, gap, pace needed per year, on or off track.

Format and shipped targets: docs/benchmarking.md.
"""
