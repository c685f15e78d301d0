-- segment export (dialect clickhouse): the segment of every row of "proj.data set.\"odd.table\"", as `segment predict` gives it
-- model: schema 2, k = 2 (segments 1, 2), scaler standard, features "a\"b", "Tenure(Months)", "back`tick\\x", "it's here", "ratio \"x\"", "plan_gold"; fitted on 6 rows (input sha256 683a4821d1adcd8ad32a74148a9db00aa8b27113e1ce0a0f74aeb0e7af0bd375)
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- reads: "id" string, "a\"b" float, "Tenure(Months)" int, "back`tick\\x" int, "it's here" int, "plan" string
WITH
-- the raw columns, typed as the model read them
`source` AS (
  SELECT
    `input_table`.`id` AS `segment_row_id`,
    CASE WHEN isFinite(CAST(`input_table`.`a"b` AS Nullable(Float64))) THEN CAST(`input_table`.`a"b` AS Nullable(Float64)) END AS `a"b`,
    CASE WHEN CAST(`input_table`.`Tenure(Months)` AS Nullable(Float64)) = floor(CAST(`input_table`.`Tenure(Months)` AS Nullable(Float64))) THEN CAST(`input_table`.`Tenure(Months)` AS Nullable(Int64)) END AS `Tenure(Months)`,
    CASE WHEN CAST(`input_table`.`back\`tick\\x` AS Nullable(Float64)) = floor(CAST(`input_table`.`back\`tick\\x` AS Nullable(Float64))) THEN CAST(`input_table`.`back\`tick\\x` AS Nullable(Int64)) END AS `back\`tick\\x`,
    CASE WHEN CAST(`input_table`.`it's here` AS Nullable(Float64)) = floor(CAST(`input_table`.`it's here` AS Nullable(Float64))) THEN CAST(`input_table`.`it's here` AS Nullable(Int64)) END AS `it's here`,
    CAST(`input_table`.`plan` AS Nullable(String)) AS `plan`,
    CASE WHEN `input_table`.`a"b` IS NOT NULL AND NOT isFinite(CAST(`input_table`.`a"b` AS Nullable(Float64))) THEN 'column "a\\"b": not a number' WHEN `input_table`.`Tenure(Months)` IS NOT NULL AND NOT (CAST(`input_table`.`Tenure(Months)` AS Nullable(Float64)) = floor(CAST(`input_table`.`Tenure(Months)` AS Nullable(Float64)))) THEN 'column "Tenure(Months)": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `input_table`.`back\`tick\\x` IS NOT NULL AND NOT (CAST(`input_table`.`back\`tick\\x` AS Nullable(Float64)) = floor(CAST(`input_table`.`back\`tick\\x` AS Nullable(Float64)))) THEN 'column "back`tick\\\\x": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `input_table`.`it's here` IS NOT NULL AND NOT (CAST(`input_table`.`it's here` AS Nullable(Float64)) = floor(CAST(`input_table`.`it's here` AS Nullable(Float64)))) THEN 'column "it\'s here": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' END AS `segment_reason`
  FROM `proj`.`data set`.`odd.table` AS `input_table`
),
-- clean: steps[0].derive
`step_derive` AS (
  SELECT
    `source`.`segment_row_id` AS `segment_row_id`,
    `source`.`a"b` AS `a"b`,
    `source`.`Tenure(Months)` AS `Tenure(Months)`,
    `source`.`back\`tick\\x` AS `back\`tick\\x`,
    `source`.`it's here` AS `it's here`,
    `source`.`plan` AS `plan`,
    CASE WHEN `source`.`a"b` IS NULL OR `source`.`Tenure(Months)` IS NULL THEN CAST(NULL AS Nullable(Float64)) ELSE (`source`.`a"b` / CAST(`source`.`Tenure(Months)` AS Nullable(Float64))) END AS `ratio "x"`,
    `source`.`segment_reason` AS `segment_reason`
  FROM `source`
),
-- clean: steps[0].derive (a NaN or infinite value is missing)
`step_derive_finite` AS (
  SELECT
    `step_derive`.`segment_row_id` AS `segment_row_id`,
    `step_derive`.`a"b` AS `a"b`,
    `step_derive`.`Tenure(Months)` AS `Tenure(Months)`,
    `step_derive`.`back\`tick\\x` AS `back\`tick\\x`,
    `step_derive`.`it's here` AS `it's here`,
    `step_derive`.`plan` AS `plan`,
    CASE WHEN isFinite(`step_derive`.`ratio "x"`) THEN `step_derive`.`ratio "x"` END AS `ratio "x"`,
    `step_derive`.`segment_reason` AS `segment_reason`
  FROM `step_derive`
),
-- clean: steps[1].onehot
`step_onehot` AS (
  SELECT
    `step_derive_finite`.`segment_row_id` AS `segment_row_id`,
    `step_derive_finite`.`a"b` AS `a"b`,
    `step_derive_finite`.`Tenure(Months)` AS `Tenure(Months)`,
    `step_derive_finite`.`back\`tick\\x` AS `back\`tick\\x`,
    `step_derive_finite`.`it's here` AS `it's here`,
    `step_derive_finite`.`ratio "x"` AS `ratio "x"`,
    CAST(CASE WHEN `step_derive_finite`.`plan` = 'gold' THEN 1 ELSE 0 END AS Nullable(Int64)) AS `plan_gold`,
    `step_derive_finite`.`segment_reason` AS `segment_reason`
  FROM `step_derive_finite`
),
-- the features as doubles ("a\"b", "Tenure(Months)", "back`tick\\x", "it's here", "ratio \"x\"", "plan_gold"); a missing one makes the row's reason
`features` AS (
  SELECT
    `step_onehot`.`segment_row_id` AS `segment_row_id`,
    `step_onehot`.`a"b` AS `x_1`,
    CAST(`step_onehot`.`Tenure(Months)` AS Nullable(Float64)) AS `x_2`,
    CAST(`step_onehot`.`back\`tick\\x` AS Nullable(Float64)) AS `x_3`,
    CAST(`step_onehot`.`it's here` AS Nullable(Float64)) AS `x_4`,
    `step_onehot`.`ratio "x"` AS `x_5`,
    CAST(`step_onehot`.`plan_gold` AS Nullable(Float64)) AS `x_6`,
    COALESCE(`step_onehot`.`segment_reason`, CASE WHEN `step_onehot`.`a"b` IS NULL THEN 'column "a\\"b": missing value' WHEN `step_onehot`.`Tenure(Months)` IS NULL THEN 'column "Tenure(Months)": missing value' WHEN `step_onehot`.`back\`tick\\x` IS NULL THEN 'column "back`tick\\\\x": missing value' WHEN `step_onehot`.`it's here` IS NULL THEN 'column "it\'s here": missing value' WHEN `step_onehot`.`ratio "x"` IS NULL THEN 'column "ratio \\"x\\"": missing value' WHEN `step_onehot`.`plan_gold` IS NULL THEN 'column "plan_gold": missing value' END) AS `segment_reason`
  FROM `step_onehot`
),
-- scaled: standard
`scaled` AS (
  SELECT
    `features`.`segment_row_id` AS `segment_row_id`,
    (`features`.`x_1` - 5.083333333333333) / 3.4570780854485896 AS `z_1`,
    (`features`.`x_2` - 25.666666666666668) / 14.704496666741854 AS `z_2`,
    (`features`.`x_3` - 6.0) / 2.70801280154532 AS `z_3`,
    (`features`.`x_4` - 0.5) / 0.5 AS `z_4`,
    (`features`.`x_5` - 0.18019272394272393) / 0.04564889904178157 AS `z_5`,
    (`features`.`x_6` - 0.5) / 0.5 AS `z_6`,
    `features`.`segment_reason` AS `segment_reason`
  FROM `features`
),
-- squared Euclidean distance to each centroid, summed in feature order (segment index order: segments 1, 2)
`distances` AS (
  SELECT
    `scaled`.`segment_row_id` AS `segment_row_id`,
    (`scaled`.`z_1` - 0.5544181008621796) * (`scaled`.`z_1` - 0.5544181008621796)
      + (`scaled`.`z_2` - 0.5157152607940036) * (`scaled`.`z_2` - 0.5157152607940036)
      + (`scaled`.`z_3` - 0.5539117094069973) * (`scaled`.`z_3` - 0.5539117094069973)
      + (`scaled`.`z_4` - 0.5) * (`scaled`.`z_4` - 0.5)
      + (`scaled`.`z_5` - 0.6543222261888648) * (`scaled`.`z_5` - 0.6543222261888648)
      + (`scaled`.`z_6` - (-0.5)) * (`scaled`.`z_6` - (-0.5)) AS `sq_distance_0`,
    (`scaled`.`z_1` - (-1.108836201724359)) * (`scaled`.`z_1` - (-1.108836201724359))
      + (`scaled`.`z_2` - (-1.0314305215880075)) * (`scaled`.`z_2` - (-1.0314305215880075))
      + (`scaled`.`z_3` - (-1.1078234188139946)) * (`scaled`.`z_3` - (-1.1078234188139946))
      + (`scaled`.`z_4` - (-1.0)) * (`scaled`.`z_4` - (-1.0))
      + (`scaled`.`z_5` - (-1.3086444523777288)) * (`scaled`.`z_5` - (-1.3086444523777288))
      + (`scaled`.`z_6` - 1.0) * (`scaled`.`z_6` - 1.0) AS `sq_distance_1`,
    `scaled`.`segment_reason` AS `segment_reason`
  FROM `scaled`
),
-- the nearest centroid: ties go to the lowest segment index, as in predict
`nearest` AS (
  SELECT
    `distances`.`segment_row_id` AS `segment_row_id`,
    `distances`.`sq_distance_0` AS `sq_distance_0`,
    `distances`.`sq_distance_1` AS `sq_distance_1`,
    CASE WHEN `distances`.`segment_reason` IS NOT NULL THEN NULL
      WHEN `distances`.`sq_distance_0` <= `distances`.`sq_distance_1` THEN 0
      ELSE 1 END AS `nearest_index`,
    `distances`.`segment_reason` AS `segment_reason`
  FROM `distances`
),
-- the second nearest centroid, ties to the lowest index
`second` AS (
  SELECT
    `nearest`.`segment_row_id` AS `segment_row_id`,
    `nearest`.`sq_distance_0` AS `sq_distance_0`,
    `nearest`.`sq_distance_1` AS `sq_distance_1`,
    `nearest`.`nearest_index` AS `nearest_index`,
    CASE WHEN `nearest`.`segment_reason` IS NOT NULL THEN NULL
      WHEN `nearest`.`nearest_index` <> 0 AND (`nearest`.`nearest_index` = 1 OR `nearest`.`sq_distance_0` <= `nearest`.`sq_distance_1`) THEN 0
      WHEN `nearest`.`nearest_index` <> 1 THEN 1 END AS `second_index`,
    `nearest`.`segment_reason` AS `segment_reason`
  FROM `nearest`
),
-- the distances to the nearest and second nearest centroids
`scores` AS (
  SELECT
    `second`.`segment_row_id` AS `segment_row_id`,
    sqrt(CASE `second`.`nearest_index` WHEN 0 THEN `second`.`sq_distance_0` WHEN 1 THEN `second`.`sq_distance_1` END) AS `distance`,
    sqrt(CASE `second`.`second_index` WHEN 0 THEN `second`.`sq_distance_0` WHEN 1 THEN `second`.`sq_distance_1` END) AS `second_distance`,
    `second`.`nearest_index` AS `nearest_index`,
    `second`.`second_index` AS `second_index`,
    `second`.`segment_reason` AS `segment_reason`
  FROM `second`
)
SELECT
  `scores`.`segment_row_id` AS `id`,
  CASE `scores`.`nearest_index` WHEN 0 THEN 1 WHEN 1 THEN 2 END AS `segment`,
  CASE `scores`.`nearest_index` WHEN 0 THEN 'O\'Brien "VIP" \\ segment' WHEN 1 THEN 'Segment 2' END AS `segment_name`,
  `scores`.`distance` AS `distance`,
  CASE `scores`.`second_index` WHEN 0 THEN 1 WHEN 1 THEN 2 END AS `second_segment`,
  `scores`.`second_distance` AS `second_distance`,
  `scores`.`second_distance` - `scores`.`distance` AS `margin`,
  `scores`.`distance` > CASE `scores`.`nearest_index` WHEN 0 THEN 2.4344633099600768 WHEN 1 THEN 0.6521470262207338 END AS `outlier`,
  `scores`.`segment_reason` AS `reason`
FROM `scores`;
