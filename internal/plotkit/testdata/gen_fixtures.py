#!/usr/bin/python3
# Generates the Python/seaborn reference fixtures for package plotkit.
#
# Command (run from the repository root, /work/main):
#   /usr/bin/python3 internal/plotkit/testdata/gen_fixtures.py
#
# Reference stack: Debian's system Python 3 with seaborn 0.12.2 and
# matplotlib 3.6.3. NaN and infinities are written as the strings "nan",
# "inf" and "-inf".
import json
import math
import os

import matplotlib
import matplotlib.colors as mc
import pandas as pd
import seaborn
from seaborn.utils import relative_luminance

HERE = os.path.dirname(os.path.abspath(__file__))


def enc(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def main():
    # Python str.format results: "{:" + fmt + "}".format(v), as seaborn's
    # heatmap annotates cells.
    fmts = [".2f", ".2g", ".1f", ".3f", ".3g", ".0f", ".1%", "+.2f", ".2e",
            "g", ".4g", ".1g", "f", "%", ".0%", " .2f", "-.2f", "+.3g"]
    values = [0.8253, 0.05, -0.108, 0.108764, -0.108764, 0.825361, 0.125,
              0.375, 0.005, 0.0049, -0.0049, 1.0, -1.0, 0.0, -0.0, 1e-5,
              -1e-5, 0.00012345, 123456.0, 0.9999, 0.995, 0.999, 2.5, 9.5,
              99.95, 0.015, 1e16, 1.5e-300, 0.1, 1 / 3, -2 / 3,
              float("nan"), float("inf"), float("-inf")]
    formats = []
    for f in fmts:
        for v in values:
            formats.append({"fmt": f, "value": enc(v),
                            "want": ("{:" + f + "}").format(v)})

    # seaborn's annotation text colour: ".15" if luminance > .408 else "w".
    cmap = matplotlib.colormaps["RdBu"]
    colors = ["#ffffff", "#000000", "#67001f", "#053061", "#f7f7f7",
              "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#b2182b",
              "#d6604d", "#f4a582", "#fddbc7", "#808080", "#0a0a0a",
              "#0b0b0b", "#a0a0a0", "#a9a9a9", "#aaaaaa", "#ff0000",
              "#00ff00", "#0000ff", "#ffff00"]
    colors += [mc.to_hex(cmap(i / 20)) for i in range(21)]
    lum = []
    for c in colors:
        v = relative_luminance(c)
        lum.append({"color": c, "luminance": v, "dark_text": bool(v > .408)})

    # Example correlation matrices for the rendering tests (pandas 1.5.3
    # DataFrame.corr() on the Maven telco churn file).
    maven = pd.read_csv(os.path.join(HERE, "..", "..", "..", "..", "shared",
                                     "datasets", "telecom_customer_churn.csv"),
                        keep_default_na=False, na_values=[""],
                        float_precision="round_trip")
    seed_cols = ["Age", "Number of Dependents", "Zip Code",
                 "Number of Referrals", "Tenure in Months", "Total Revenue"]
    seed = maven[maven["Customer Status"] != "Churned"][seed_cols].copy()
    seed["Total Revenue"] = seed["Total Revenue"].astype(int)
    wide_cols = ["Age", "Number of Dependents", "Number of Referrals",
                 "Tenure in Months", "Avg Monthly Long Distance Charges",
                 "Avg Monthly GB Download", "Monthly Charge", "Total Charges",
                 "Total Refunds", "Total Extra Data Charges",
                 "Total Long Distance Charges", "Total Revenue"]
    examples = []
    for name, df in (("seed 6x6", seed), ("maven 12x12", maven[wide_cols])):
        examples.append({"name": name, "labels": list(df.columns),
                         "values": df.astype(float).corr().values.tolist()})

    with open(os.path.join(HERE, "fixtures.json"), "w") as f:
        json.dump({"seaborn": seaborn.__version__,
                   "matplotlib": matplotlib.__version__,
                   "format": formats, "luminance": lum,
                   "examples": examples}, f, indent=1)


if __name__ == "__main__":
    main()
