-- segment export (dialect duckdb): the segment of every row of "proj.data set.\"odd.table\"", as `segment predict` gives it
-- model: schema 2, k = 2 (segments 1, 2), scaler standard, features "a\"b", "Tenure(Months)", "back`tick\\x", "it's here", "ratio \"x\"", "plan_gold"; fitted on 6 rows (input sha256 683a4821d1adcd8ad32a74148a9db00aa8b27113e1ce0a0f74aeb0e7af0bd375)
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- reads: "id" string, "a\"b" float, "Tenure(Months)" int, "back`tick\\x" int, "it's here" int, "plan" string
WITH
-- the raw columns, typed as the model read them
"source" AS (
  SELECT
    "id" AS "segment_row_id",
    CASE WHEN isfinite(CAST("a""b" AS DOUBLE)) THEN CAST("a""b" AS DOUBLE) END AS "a""b",
    CASE WHEN CAST("Tenure(Months)" AS DOUBLE) = FLOOR(CAST("Tenure(Months)" AS DOUBLE)) THEN CAST("Tenure(Months)" AS BIGINT) END AS "Tenure(Months)",
    CASE WHEN CAST("back`tick\x" AS DOUBLE) = FLOOR(CAST("back`tick\x" AS DOUBLE)) THEN CAST("back`tick\x" AS BIGINT) END AS "back`tick\x",
    CASE WHEN CAST("it's here" AS DOUBLE) = FLOOR(CAST("it's here" AS DOUBLE)) THEN CAST("it's here" AS BIGINT) END AS "it's here",
    CAST("plan" AS VARCHAR) AS "plan",
    CASE WHEN "a""b" IS NOT NULL AND NOT isfinite(CAST("a""b" AS DOUBLE)) THEN 'column "a\"b": not a number' WHEN "Tenure(Months)" IS NOT NULL AND NOT (CAST("Tenure(Months)" AS DOUBLE) = FLOOR(CAST("Tenure(Months)" AS DOUBLE))) THEN 'column "Tenure(Months)": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN "back`tick\x" IS NOT NULL AND NOT (CAST("back`tick\x" AS DOUBLE) = FLOOR(CAST("back`tick\x" AS DOUBLE))) THEN 'column "back`tick\\x": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN "it's here" IS NOT NULL AND NOT (CAST("it's here" AS DOUBLE) = FLOOR(CAST("it's here" AS DOUBLE))) THEN 'column "it''s here": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' END AS "segment_reason"
  FROM "proj"."data set"."odd.table"
),
-- clean: steps[0].derive
"step_derive" AS (
  SELECT
    "segment_row_id",
    "a""b",
    "Tenure(Months)",
    "back`tick\x",
    "it's here",
    "plan",
    CASE WHEN "a""b" IS NULL OR "Tenure(Months)" IS NULL THEN CAST(NULL AS DOUBLE) ELSE (CASE WHEN CAST("Tenure(Months)" AS DOUBLE) = 0 THEN "a""b" * CAST('Infinity' AS DOUBLE) ELSE "a""b" / CAST("Tenure(Months)" AS DOUBLE) END) END AS "ratio ""x""",
    "segment_reason"
  FROM "source"
),
-- clean: steps[0].derive (a NaN or infinite value is missing)
"step_derive_finite" AS (
  SELECT
    "segment_row_id",
    "a""b",
    "Tenure(Months)",
    "back`tick\x",
    "it's here",
    "plan",
    CASE WHEN isfinite("ratio ""x""") THEN "ratio ""x""" END AS "ratio ""x""",
    "segment_reason"
  FROM "step_derive"
),
-- clean: steps[1].onehot
"step_onehot" AS (
  SELECT
    "segment_row_id",
    "a""b",
    "Tenure(Months)",
    "back`tick\x",
    "it's here",
    "ratio ""x""",
    CAST(CASE WHEN "plan" = 'gold' THEN 1 ELSE 0 END AS BIGINT) AS "plan_gold",
    "segment_reason"
  FROM "step_derive_finite"
),
-- the features as doubles ("a\"b", "Tenure(Months)", "back`tick\\x", "it's here", "ratio \"x\"", "plan_gold"); a missing one makes the row's reason
"features" AS (
  SELECT
    "segment_row_id",
    "a""b" AS "x_1",
    CAST("Tenure(Months)" AS DOUBLE) AS "x_2",
    CAST("back`tick\x" AS DOUBLE) AS "x_3",
    CAST("it's here" AS DOUBLE) AS "x_4",
    "ratio ""x""" AS "x_5",
    CAST("plan_gold" AS DOUBLE) AS "x_6",
    COALESCE("segment_reason", CASE WHEN "a""b" IS NULL THEN 'column "a\"b": missing value' WHEN "Tenure(Months)" IS NULL THEN 'column "Tenure(Months)": missing value' WHEN "back`tick\x" IS NULL THEN 'column "back`tick\\x": missing value' WHEN "it's here" IS NULL THEN 'column "it''s here": missing value' WHEN "ratio ""x""" IS NULL THEN 'column "ratio \"x\"": missing value' WHEN "plan_gold" IS NULL THEN 'column "plan_gold": missing value' END) AS "segment_reason"
  FROM "step_onehot"
),
-- scaled: standard
"scaled" AS (
  SELECT
    "segment_row_id",
    ("x_1" - CAST('5.083333333333333' AS DOUBLE)) / CAST('3.4570780854485896' AS DOUBLE) AS "z_1",
    ("x_2" - CAST('25.666666666666668' AS DOUBLE)) / CAST('14.704496666741854' AS DOUBLE) AS "z_2",
    ("x_3" - CAST('6' AS DOUBLE)) / CAST('2.70801280154532' AS DOUBLE) AS "z_3",
    ("x_4" - CAST('0.5' AS DOUBLE)) / CAST('0.5' AS DOUBLE) AS "z_4",
    ("x_5" - CAST('0.18019272394272393' AS DOUBLE)) / CAST('0.04564889904178157' AS DOUBLE) AS "z_5",
    ("x_6" - CAST('0.5' AS DOUBLE)) / CAST('0.5' AS DOUBLE) AS "z_6",
    "segment_reason"
  FROM "features"
),
-- squared Euclidean distance to each centroid, summed in feature order (segment index order: segments 1, 2)
"distances" AS (
  SELECT
    "segment_row_id",
    ("z_1" - CAST('0.5544181008621796' AS DOUBLE)) * ("z_1" - CAST('0.5544181008621796' AS DOUBLE))
      + ("z_2" - CAST('0.5157152607940036' AS DOUBLE)) * ("z_2" - CAST('0.5157152607940036' AS DOUBLE))
      + ("z_3" - CAST('0.5539117094069973' AS DOUBLE)) * ("z_3" - CAST('0.5539117094069973' AS DOUBLE))
      + ("z_4" - CAST('0.5' AS DOUBLE)) * ("z_4" - CAST('0.5' AS DOUBLE))
      + ("z_5" - CAST('0.6543222261888648' AS DOUBLE)) * ("z_5" - CAST('0.6543222261888648' AS DOUBLE))
      + ("z_6" - CAST('-0.5' AS DOUBLE)) * ("z_6" - CAST('-0.5' AS DOUBLE)) AS "sq_distance_0",
    ("z_1" - CAST('-1.108836201724359' AS DOUBLE)) * ("z_1" - CAST('-1.108836201724359' AS DOUBLE))
      + ("z_2" - CAST('-1.0314305215880075' AS DOUBLE)) * ("z_2" - CAST('-1.0314305215880075' AS DOUBLE))
      + ("z_3" - CAST('-1.1078234188139946' AS DOUBLE)) * ("z_3" - CAST('-1.1078234188139946' AS DOUBLE))
      + ("z_4" - CAST('-1' AS DOUBLE)) * ("z_4" - CAST('-1' AS DOUBLE))
      + ("z_5" - CAST('-1.3086444523777288' AS DOUBLE)) * ("z_5" - CAST('-1.3086444523777288' AS DOUBLE))
      + ("z_6" - CAST('1' AS DOUBLE)) * ("z_6" - CAST('1' AS DOUBLE)) AS "sq_distance_1",
    "segment_reason"
  FROM "scaled"
),
-- the nearest centroid: ties go to the lowest segment index, as in predict
"nearest" AS (
  SELECT
    "segment_row_id",
    "sq_distance_0",
    "sq_distance_1",
    CASE WHEN "segment_reason" IS NOT NULL THEN NULL
      WHEN "sq_distance_0" <= "sq_distance_1" THEN 0
      ELSE 1 END AS "nearest_index",
    "segment_reason"
  FROM "distances"
),
-- the second nearest centroid, ties to the lowest index
"second" AS (
  SELECT
    "segment_row_id",
    "sq_distance_0",
    "sq_distance_1",
    "nearest_index",
    CASE WHEN "segment_reason" IS NOT NULL THEN NULL
      WHEN "nearest_index" <> 0 AND ("nearest_index" = 1 OR "sq_distance_0" <= "sq_distance_1") THEN 0
      WHEN "nearest_index" <> 1 THEN 1 END AS "second_index",
    "segment_reason"
  FROM "nearest"
),
-- the distances to the nearest and second nearest centroids
"scores" AS (
  SELECT
    "segment_row_id",
    SQRT(CASE "nearest_index" WHEN 0 THEN "sq_distance_0" WHEN 1 THEN "sq_distance_1" END) AS "distance",
    SQRT(CASE "second_index" WHEN 0 THEN "sq_distance_0" WHEN 1 THEN "sq_distance_1" END) AS "second_distance",
    "nearest_index",
    "second_index",
    "segment_reason"
  FROM "second"
)
SELECT
  "segment_row_id" AS "id",
  CASE "nearest_index" WHEN 0 THEN 1 WHEN 1 THEN 2 END AS "segment",
  CASE "nearest_index" WHEN 0 THEN 'O''Brien "VIP" \ segment' WHEN 1 THEN 'Segment 2' END AS "segment_name",
  "distance" AS "distance",
  CASE "second_index" WHEN 0 THEN 1 WHEN 1 THEN 2 END AS "second_segment",
  "second_distance" AS "second_distance",
  "second_distance" - "distance" AS "margin",
  "distance" > CASE "nearest_index" WHEN 0 THEN CAST('2.4344633099600768' AS DOUBLE) WHEN 1 THEN CAST('0.6521470262207338' AS DOUBLE) END AS "outlier",
  "segment_reason" AS "reason"
FROM "scores";
