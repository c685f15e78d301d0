-- segment export (dialect clickhouse): the segment of every row of "crm.telco", as `segment predict` gives it
-- model: schema 3, k = 4 (segments 1, 2, 3, 4), scaler standard, features "tenure", "MonthlyCharges", "TotalCharges"; fitted on 7043 rows (input sha256 88be4b93fbe0cc83421af1c503794c97c342eca914c1576db7c276e61d61358a)
-- k-prototypes: categorical features "Contract", "SeniorCitizen", "PaymentMethod", gamma 0.5000000000000012 per category that differs from a segment's mode; a missing category is a category of its own; a category never seen in training differs from every mode
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- reads: "customerID" string, "SeniorCitizen" int, "tenure" int, "Contract" string, "PaymentMethod" string, "MonthlyCharges" float, "TotalCharges" float
WITH
-- the raw columns, typed as the model read them
`source` AS (
  SELECT
    `input_table`.`customerID` AS `segment_row_id`,
    CASE WHEN CAST(`input_table`.`SeniorCitizen` AS Nullable(Float64)) = floor(CAST(`input_table`.`SeniorCitizen` AS Nullable(Float64))) THEN CAST(`input_table`.`SeniorCitizen` AS Nullable(Int64)) END AS `SeniorCitizen`,
    CASE WHEN CAST(`input_table`.`tenure` AS Nullable(Float64)) = floor(CAST(`input_table`.`tenure` AS Nullable(Float64))) THEN CAST(`input_table`.`tenure` AS Nullable(Int64)) END AS `tenure`,
    CAST(`input_table`.`Contract` AS Nullable(String)) AS `Contract`,
    CAST(`input_table`.`PaymentMethod` AS Nullable(String)) AS `PaymentMethod`,
    CASE WHEN isFinite(CAST(`input_table`.`MonthlyCharges` AS Nullable(Float64))) THEN CAST(`input_table`.`MonthlyCharges` AS Nullable(Float64)) END AS `MonthlyCharges`,
    CASE WHEN isFinite(CAST(`input_table`.`TotalCharges` AS Nullable(Float64))) THEN CAST(`input_table`.`TotalCharges` AS Nullable(Float64)) END AS `TotalCharges`,
    CASE WHEN `input_table`.`SeniorCitizen` IS NOT NULL AND NOT (CAST(`input_table`.`SeniorCitizen` AS Nullable(Float64)) = floor(CAST(`input_table`.`SeniorCitizen` AS Nullable(Float64)))) THEN 'column "SeniorCitizen": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `input_table`.`tenure` IS NOT NULL AND NOT (CAST(`input_table`.`tenure` AS Nullable(Float64)) = floor(CAST(`input_table`.`tenure` AS Nullable(Float64)))) THEN 'column "tenure": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `input_table`.`MonthlyCharges` IS NOT NULL AND NOT isFinite(CAST(`input_table`.`MonthlyCharges` AS Nullable(Float64))) THEN 'column "MonthlyCharges": not a number' WHEN `input_table`.`TotalCharges` IS NOT NULL AND NOT isFinite(CAST(`input_table`.`TotalCharges` AS Nullable(Float64))) THEN 'column "TotalCharges": not a number' END AS `segment_reason`
  FROM `crm`.`telco` AS `input_table`
),
-- clean: steps[0].fillna
`step_fillna` AS (
  SELECT
    `source`.`segment_row_id` AS `segment_row_id`,
    `source`.`SeniorCitizen` AS `SeniorCitizen`,
    `source`.`tenure` AS `tenure`,
    `source`.`Contract` AS `Contract`,
    `source`.`PaymentMethod` AS `PaymentMethod`,
    `source`.`MonthlyCharges` AS `MonthlyCharges`,
    COALESCE(`source`.`TotalCharges`, 0.0) AS `TotalCharges`,
    `source`.`segment_reason` AS `segment_reason`
  FROM `source`
),
-- the features as doubles ("tenure", "MonthlyCharges", "TotalCharges"); a missing one makes the row's reason; then the categorical features as they are ("Contract", "SeniorCitizen", "PaymentMethod")
`features` AS (
  SELECT
    `step_fillna`.`segment_row_id` AS `segment_row_id`,
    CAST(`step_fillna`.`tenure` AS Nullable(Float64)) AS `x_1`,
    `step_fillna`.`MonthlyCharges` AS `x_2`,
    `step_fillna`.`TotalCharges` AS `x_3`,
    `step_fillna`.`Contract` AS `category_1`,
    `step_fillna`.`SeniorCitizen` AS `category_2`,
    `step_fillna`.`PaymentMethod` AS `category_3`,
    COALESCE(`step_fillna`.`segment_reason`, CASE WHEN `step_fillna`.`tenure` IS NULL THEN 'column "tenure": missing value' WHEN `step_fillna`.`MonthlyCharges` IS NULL THEN 'column "MonthlyCharges": missing value' WHEN `step_fillna`.`TotalCharges` IS NULL THEN 'column "TotalCharges": missing value' END) AS `segment_reason`
  FROM `step_fillna`
),
-- scaled: standard
`scaled` AS (
  SELECT
    `features`.`segment_row_id` AS `segment_row_id`,
    (`features`.`x_1` - 32.37114865824223) / 24.55773742286321 AS `z_1`,
    (`features`.`x_2` - 64.76169246059922) / 30.08791085493703 AS `z_2`,
    (`features`.`x_3` - 2279.734303563826) / 2266.6335386271085 AS `z_3`,
    `features`.`category_1` AS `category_1`,
    `features`.`category_2` AS `category_2`,
    `features`.`category_3` AS `category_3`,
    `features`.`segment_reason` AS `segment_reason`
  FROM `features`
),
-- k-prototypes dissimilarity to each centroid: squared Euclidean distance summed in feature order, plus gamma times the categories that differ from the centroid's modes (segment index order: segments 1, 2, 3, 4)
`distances` AS (
  SELECT
    `scaled`.`segment_row_id` AS `segment_row_id`,
    ((`scaled`.`z_1` - (-0.6557368007674615)) * (`scaled`.`z_1` - (-0.6557368007674615))
      + (`scaled`.`z_2` - 0.5325233013927526) * (`scaled`.`z_2` - 0.5325233013927526)
      + (`scaled`.`z_3` - (-0.42303813102301996)) * (`scaled`.`z_3` - (-0.42303813102301996)))
      + 0.5000000000000012 * CAST((CASE WHEN `scaled`.`category_1` = 'Month-to-month' THEN 0 ELSE 1 END + CASE WHEN `scaled`.`category_2` = 0 THEN 0 ELSE 1 END + CASE WHEN `scaled`.`category_3` = 'Electronic check' THEN 0 ELSE 1 END) AS Nullable(Float64)) AS `sq_distance_0`,
    ((`scaled`.`z_1` - 1.1360438577622363) * (`scaled`.`z_1` - 1.1360438577622363)
      + (`scaled`.`z_2` - 0.9484568795293035) * (`scaled`.`z_2` - 0.9484568795293035)
      + (`scaled`.`z_3` - 1.4727730729477166) * (`scaled`.`z_3` - 1.4727730729477166))
      + 0.5000000000000012 * CAST((CASE WHEN `scaled`.`category_1` = 'Two year' THEN 0 ELSE 1 END + CASE WHEN `scaled`.`category_2` = 0 THEN 0 ELSE 1 END + CASE WHEN `scaled`.`category_3` = 'Bank transfer (automatic)' THEN 0 ELSE 1 END) AS Nullable(Float64)) AS `sq_distance_1`,
    ((`scaled`.`z_1` - (-0.8926312106114043)) * (`scaled`.`z_1` - (-0.8926312106114043))
      + (`scaled`.`z_2` - (-1.0927328355978418)) * (`scaled`.`z_2` - (-1.0927328355978418))
      + (`scaled`.`z_3` - (-0.8679575055547706)) * (`scaled`.`z_3` - (-0.8679575055547706)))
      + 0.5000000000000012 * CAST((CASE WHEN `scaled`.`category_1` = 'Month-to-month' THEN 0 ELSE 1 END + CASE WHEN `scaled`.`category_2` = 0 THEN 0 ELSE 1 END + CASE WHEN `scaled`.`category_3` = 'Mailed check' THEN 0 ELSE 1 END) AS Nullable(Float64)) AS `sq_distance_2`,
    ((`scaled`.`z_1` - 0.886453027207399) * (`scaled`.`z_1` - 0.886453027207399)
      + (`scaled`.`z_2` - (-1.01434341390047)) * (`scaled`.`z_2` - (-1.01434341390047))
      + (`scaled`.`z_3` - (-0.1990577675141001)) * (`scaled`.`z_3` - (-0.1990577675141001)))
      + 0.5000000000000012 * CAST((CASE WHEN `scaled`.`category_1` = 'Two year' THEN 0 ELSE 1 END + CASE WHEN `scaled`.`category_2` = 0 THEN 0 ELSE 1 END + CASE WHEN `scaled`.`category_3` IS NULL THEN 0 ELSE 1 END) AS Nullable(Float64)) AS `sq_distance_3`,
    `scaled`.`segment_reason` AS `segment_reason`
  FROM `scaled`
),
-- the nearest centroid: ties go to the lowest segment index, as in predict
`nearest` AS (
  SELECT
    `distances`.`segment_row_id` AS `segment_row_id`,
    `distances`.`sq_distance_0` AS `sq_distance_0`,
    `distances`.`sq_distance_1` AS `sq_distance_1`,
    `distances`.`sq_distance_2` AS `sq_distance_2`,
    `distances`.`sq_distance_3` AS `sq_distance_3`,
    CASE WHEN `distances`.`segment_reason` IS NOT NULL THEN NULL
      WHEN `distances`.`sq_distance_0` <= `distances`.`sq_distance_1` AND `distances`.`sq_distance_0` <= `distances`.`sq_distance_2` AND `distances`.`sq_distance_0` <= `distances`.`sq_distance_3` THEN 0
      WHEN `distances`.`sq_distance_1` <= `distances`.`sq_distance_2` AND `distances`.`sq_distance_1` <= `distances`.`sq_distance_3` THEN 1
      WHEN `distances`.`sq_distance_2` <= `distances`.`sq_distance_3` THEN 2
      ELSE 3 END AS `nearest_index`,
    `distances`.`segment_reason` AS `segment_reason`
  FROM `distances`
),
-- the second nearest centroid, ties to the lowest index
`second` AS (
  SELECT
    `nearest`.`segment_row_id` AS `segment_row_id`,
    `nearest`.`sq_distance_0` AS `sq_distance_0`,
    `nearest`.`sq_distance_1` AS `sq_distance_1`,
    `nearest`.`sq_distance_2` AS `sq_distance_2`,
    `nearest`.`sq_distance_3` AS `sq_distance_3`,
    `nearest`.`nearest_index` AS `nearest_index`,
    CASE WHEN `nearest`.`segment_reason` IS NOT NULL THEN NULL
      WHEN `nearest`.`nearest_index` <> 0 AND (`nearest`.`nearest_index` = 1 OR `nearest`.`sq_distance_0` <= `nearest`.`sq_distance_1`) AND (`nearest`.`nearest_index` = 2 OR `nearest`.`sq_distance_0` <= `nearest`.`sq_distance_2`) AND (`nearest`.`nearest_index` = 3 OR `nearest`.`sq_distance_0` <= `nearest`.`sq_distance_3`) THEN 0
      WHEN `nearest`.`nearest_index` <> 1 AND (`nearest`.`nearest_index` = 2 OR `nearest`.`sq_distance_1` <= `nearest`.`sq_distance_2`) AND (`nearest`.`nearest_index` = 3 OR `nearest`.`sq_distance_1` <= `nearest`.`sq_distance_3`) THEN 1
      WHEN `nearest`.`nearest_index` <> 2 AND (`nearest`.`nearest_index` = 3 OR `nearest`.`sq_distance_2` <= `nearest`.`sq_distance_3`) THEN 2
      WHEN `nearest`.`nearest_index` <> 3 THEN 3 END AS `second_index`,
    `nearest`.`segment_reason` AS `segment_reason`
  FROM `nearest`
),
-- the distances to the nearest and second nearest centroids
`scores` AS (
  SELECT
    `second`.`segment_row_id` AS `segment_row_id`,
    sqrt(CASE `second`.`nearest_index` WHEN 0 THEN `second`.`sq_distance_0` WHEN 1 THEN `second`.`sq_distance_1` WHEN 2 THEN `second`.`sq_distance_2` WHEN 3 THEN `second`.`sq_distance_3` END) AS `distance`,
    sqrt(CASE `second`.`second_index` WHEN 0 THEN `second`.`sq_distance_0` WHEN 1 THEN `second`.`sq_distance_1` WHEN 2 THEN `second`.`sq_distance_2` WHEN 3 THEN `second`.`sq_distance_3` END) AS `second_distance`,
    `second`.`nearest_index` AS `nearest_index`,
    `second`.`second_index` AS `second_index`,
    CASE WHEN `second`.`segment_reason` IS NULL THEN sqrt(`second`.`sq_distance_0`) END AS `distance_0`,
    CASE WHEN `second`.`segment_reason` IS NULL THEN sqrt(`second`.`sq_distance_1`) END AS `distance_1`,
    CASE WHEN `second`.`segment_reason` IS NULL THEN sqrt(`second`.`sq_distance_2`) END AS `distance_2`,
    CASE WHEN `second`.`segment_reason` IS NULL THEN sqrt(`second`.`sq_distance_3`) END AS `distance_3`,
    `second`.`segment_reason` AS `segment_reason`
  FROM `second`
)
SELECT
  `scores`.`segment_row_id` AS `customerID`,
  CASE `scores`.`nearest_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `segment`,
  CASE `scores`.`nearest_index` WHEN 0 THEN 'Segment 1' WHEN 1 THEN 'Segment 2' WHEN 2 THEN 'Segment 3' WHEN 3 THEN 'Segment 4' END AS `segment_name`,
  `scores`.`distance` AS `distance`,
  CASE `scores`.`second_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `second_segment`,
  `scores`.`second_distance` AS `second_distance`,
  `scores`.`second_distance` - `scores`.`distance` AS `margin`,
  `scores`.`distance` > CASE `scores`.`nearest_index` WHEN 0 THEN 1.644980490583228 WHEN 1 THEN 1.7288199914918467 WHEN 2 THEN 1.3580808813412466 WHEN 3 THEN 1.6235576029494674 END AS `outlier`,
  `scores`.`distance_0` AS `distance_1`,
  `scores`.`distance_1` AS `distance_2`,
  `scores`.`distance_2` AS `distance_3`,
  `scores`.`distance_3` AS `distance_4`,
  `scores`.`segment_reason` AS `reason`
FROM `scores`;
