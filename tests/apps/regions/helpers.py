import numpy as np

from ronghe.core.index.definition import load

D = load("lianghua-regional").definition


def write_data(path, regions, years=(2023, 2024), seed=0):
    """Indicator values around each indicator's reference, stronger for earlier regions in the list."""
    rng = np.random.default_rng(seed)
    lines = ["region,year,indicator,value"]
    for t, year in enumerate(years):
        for k, region in enumerate(regions):
            level = 1.2 - 0.1 * k + 0.03 * t
            for ind in D.indicators:
                f = level * rng.uniform(0.95, 1.05)
                value = ind.reference * (f if ind.direction == "higher" else 1 / f)
                lines.append(f"{region},{year},{ind.id},{value:.4f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
