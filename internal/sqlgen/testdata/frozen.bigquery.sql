-- segment export (dialect bigquery): the segment of every row of "churn", as `segment predict` gives it
-- model: schema 2, k = 4 (segments 1, 2, 3, 4), scaler standard, features "Tenure", "GB", "Avg Monthly Long Distance Charges", "Monthly Charge", "Revenue per month", "Contract_One Year", "Contract_Two Year", "Internet Type_Fiber Optic"; fitted on 6608 rows (input sha256 fbf4e4ba698e79798d79ea1d6d654d1d3986bc547bebc50d666d880d416082b0)
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- every row is scored, as predict does by default; row steps not applied: clean: steps[0].filter
-- reads: "Customer ID" string, "Tenure in Months" int, "Avg Monthly Long Distance Charges" float, "Internet Type" string, "Avg Monthly GB Download" int, "Contract" string, "Monthly Charge" float, "Total Revenue" float
WITH
-- the raw columns, typed as the model read them
`source` AS (
  SELECT
    `Customer ID` AS `segment_row_id`,
    CASE WHEN CAST(`Tenure in Months` AS FLOAT64) = FLOOR(CAST(`Tenure in Months` AS FLOAT64)) THEN CAST(`Tenure in Months` AS INT64) END AS `Tenure in Months`,
    CASE WHEN (NOT IS_INF(CAST(`Avg Monthly Long Distance Charges` AS FLOAT64)) AND NOT IS_NAN(CAST(`Avg Monthly Long Distance Charges` AS FLOAT64))) THEN CAST(`Avg Monthly Long Distance Charges` AS FLOAT64) END AS `Avg Monthly Long Distance Charges`,
    CAST(`Internet Type` AS STRING) AS `Internet Type`,
    CASE WHEN CAST(`Avg Monthly GB Download` AS FLOAT64) = FLOOR(CAST(`Avg Monthly GB Download` AS FLOAT64)) THEN CAST(`Avg Monthly GB Download` AS INT64) END AS `Avg Monthly GB Download`,
    CAST(`Contract` AS STRING) AS `Contract`,
    CASE WHEN (NOT IS_INF(CAST(`Monthly Charge` AS FLOAT64)) AND NOT IS_NAN(CAST(`Monthly Charge` AS FLOAT64))) THEN CAST(`Monthly Charge` AS FLOAT64) END AS `Monthly Charge`,
    CASE WHEN (NOT IS_INF(CAST(`Total Revenue` AS FLOAT64)) AND NOT IS_NAN(CAST(`Total Revenue` AS FLOAT64))) THEN CAST(`Total Revenue` AS FLOAT64) END AS `Total Revenue`,
    CASE WHEN `Tenure in Months` IS NOT NULL AND NOT (CAST(`Tenure in Months` AS FLOAT64) = FLOOR(CAST(`Tenure in Months` AS FLOAT64))) THEN 'column "Tenure in Months": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `Avg Monthly Long Distance Charges` IS NOT NULL AND NOT (NOT IS_INF(CAST(`Avg Monthly Long Distance Charges` AS FLOAT64)) AND NOT IS_NAN(CAST(`Avg Monthly Long Distance Charges` AS FLOAT64))) THEN 'column "Avg Monthly Long Distance Charges": not a number' WHEN `Avg Monthly GB Download` IS NOT NULL AND NOT (CAST(`Avg Monthly GB Download` AS FLOAT64) = FLOOR(CAST(`Avg Monthly GB Download` AS FLOAT64))) THEN 'column "Avg Monthly GB Download": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `Monthly Charge` IS NOT NULL AND NOT (NOT IS_INF(CAST(`Monthly Charge` AS FLOAT64)) AND NOT IS_NAN(CAST(`Monthly Charge` AS FLOAT64))) THEN 'column "Monthly Charge": not a number' WHEN `Total Revenue` IS NOT NULL AND NOT (NOT IS_INF(CAST(`Total Revenue` AS FLOAT64)) AND NOT IS_NAN(CAST(`Total Revenue` AS FLOAT64))) THEN 'column "Total Revenue": not a number' END AS `segment_reason`
  FROM `churn`
),
-- clean: steps[1].rename
`step_rename` AS (
  SELECT
    `segment_row_id`,
    `Tenure in Months` AS `Tenure`,
    `Avg Monthly Long Distance Charges`,
    `Internet Type`,
    `Avg Monthly GB Download` AS `GB`,
    `Contract`,
    `Monthly Charge`,
    `Total Revenue`,
    `segment_reason`
  FROM `source`
),
-- clean: steps[2].fillna
`step_fillna` AS (
  SELECT
    `segment_row_id`,
    `Tenure`,
    COALESCE(`Avg Monthly Long Distance Charges`, 25.215) AS `Avg Monthly Long Distance Charges`,
    `Internet Type`,
    COALESCE(CAST(`GB` AS FLOAT64), 26.123647604327665) AS `GB`,
    `Contract`,
    `Monthly Charge`,
    `Total Revenue`,
    `segment_reason`
  FROM `step_rename`
),
-- clean: steps[3].clip
`step_clip` AS (
  SELECT
    `segment_row_id`,
    `Tenure`,
    `Avg Monthly Long Distance Charges`,
    `Internet Type`,
    `GB`,
    `Contract`,
    CASE WHEN `Monthly Charge` < 19.55 THEN 19.55 WHEN `Monthly Charge` > 105.95 THEN 105.95 ELSE `Monthly Charge` END AS `Monthly Charge`,
    `Total Revenue`,
    `segment_reason`
  FROM `step_fillna`
),
-- clean: steps[4].derive
`step_derive` AS (
  SELECT
    `segment_row_id`,
    `Tenure`,
    `Avg Monthly Long Distance Charges`,
    `Internet Type`,
    `GB`,
    `Contract`,
    `Monthly Charge`,
    `Total Revenue`,
    CASE WHEN `Tenure` IS NULL OR `Total Revenue` IS NULL THEN CAST(NULL AS FLOAT64) ELSE IEEE_DIVIDE(`Total Revenue`, CAST((CASE WHEN `Tenure` < 1 THEN 1 ELSE `Tenure` END) AS FLOAT64)) END AS `Revenue per month`,
    `segment_reason`
  FROM `step_clip`
),
-- clean: steps[4].derive (a NaN or infinite value is missing)
`step_derive_finite` AS (
  SELECT
    `segment_row_id`,
    `Tenure`,
    `Avg Monthly Long Distance Charges`,
    `Internet Type`,
    `GB`,
    `Contract`,
    `Monthly Charge`,
    `Total Revenue`,
    CASE WHEN (NOT IS_INF(`Revenue per month`) AND NOT IS_NAN(`Revenue per month`)) THEN `Revenue per month` END AS `Revenue per month`,
    `segment_reason`
  FROM `step_derive`
),
-- clean: steps[5].onehot
`step_onehot` AS (
  SELECT
    `segment_row_id`,
    `Tenure`,
    `Avg Monthly Long Distance Charges`,
    `GB`,
    `Monthly Charge`,
    `Total Revenue`,
    `Revenue per month`,
    CAST(CASE WHEN `Contract` = 'One Year' THEN 1 ELSE 0 END AS INT64) AS `Contract_One Year`,
    CAST(CASE WHEN `Contract` = 'Two Year' THEN 1 ELSE 0 END AS INT64) AS `Contract_Two Year`,
    CAST(CASE WHEN `Internet Type` = 'Fiber Optic' THEN 1 ELSE 0 END AS INT64) AS `Internet Type_Fiber Optic`,
    `segment_reason`
  FROM `step_derive_finite`
),
-- the features as doubles ("Tenure", "GB", "Avg Monthly Long Distance Charges", "Monthly Charge", "Revenue per month", "Contract_One Year", "Contract_Two Year", "Internet Type_Fiber Optic"); a missing one makes the row's reason
`features` AS (
  SELECT
    `segment_row_id`,
    CAST(`Tenure` AS FLOAT64) AS `x_1`,
    `GB` AS `x_2`,
    `Avg Monthly Long Distance Charges` AS `x_3`,
    `Monthly Charge` AS `x_4`,
    `Revenue per month` AS `x_5`,
    CAST(`Contract_One Year` AS FLOAT64) AS `x_6`,
    CAST(`Contract_Two Year` AS FLOAT64) AS `x_7`,
    CAST(`Internet Type_Fiber Optic` AS FLOAT64) AS `x_8`,
    COALESCE(`segment_reason`, CASE WHEN `Tenure` IS NULL THEN 'column "Tenure": missing value' WHEN `GB` IS NULL THEN 'column "GB": missing value' WHEN `Avg Monthly Long Distance Charges` IS NULL THEN 'column "Avg Monthly Long Distance Charges": missing value' WHEN `Monthly Charge` IS NULL THEN 'column "Monthly Charge": missing value' WHEN `Revenue per month` IS NULL THEN 'column "Revenue per month": missing value' WHEN `Contract_One Year` IS NULL THEN 'column "Contract_One Year": missing value' WHEN `Contract_Two Year` IS NULL THEN 'column "Contract_Two Year": missing value' WHEN `Internet Type_Fiber Optic` IS NULL THEN 'column "Internet Type_Fiber Optic": missing value' END) AS `segment_reason`
  FROM `step_onehot`
),
-- scaled: standard
`scaled` AS (
  SELECT
    `segment_row_id`,
    (`x_1` - 34.431446731234864) / 23.90936067845078 AS `z_1`,
    (`x_2` - 26.12364760432829) / 17.25894540109387 AS `z_2`,
    (`x_3` - 25.305544794188684) / 13.36430828539756 AS `z_3`,
    (`x_4` - 64.20938256658603) / 28.52348110710625 AS `z_4`,
    (`x_5` - 88.4355419125078) / 33.24533836080054 AS `z_5`,
    (`x_6` - 0.2288135593220339) / 0.4200689400472471 AS `z_6`,
    (`x_7` - 0.28268765133171914) / 0.45030583286946596 AS `z_7`,
    (`x_8` - 0.4364406779661017) / 0.49594375949554137 AS `z_8`,
    `segment_reason`
  FROM `features`
),
-- squared Euclidean distance to each centroid, summed in feature order (segment index order: segments 1, 2, 3, 4)
`distances` AS (
  SELECT
    `segment_row_id`,
    (`z_1` - (-0.4624110535106535)) * (`z_1` - (-0.4624110535106535))
      + (`z_2` - (-0.018479359238141882)) * (`z_2` - (-0.018479359238141882))
      + (`z_3` - (-0.05923132125501492)) * (`z_3` - (-0.05923132125501492))
      + (`z_4` - (-0.6912412587595378)) * (`z_4` - (-0.6912412587595378))
      + (`z_5` - (-0.6211923031693545)) * (`z_5` - (-0.6211923031693545))
      + (`z_6` - 0.3638187406525972) * (`z_6` - 0.3638187406525972)
      + (`z_7` - (-0.6277681315615219)) * (`z_7` - (-0.6277681315615219))
      + (`z_8` - (-0.8640809193003552)) * (`z_8` - (-0.8640809193003552)) AS `sq_distance_0`,
    (`z_1` - (-0.7689837314297807)) * (`z_1` - (-0.7689837314297807))
      + (`z_2` - (-0.03386565504510152)) * (`z_2` - (-0.03386565504510152))
      + (`z_3` - (-0.02747430118654529)) * (`z_3` - (-0.02747430118654529))
      + (`z_4` - 0.6254595442234231) * (`z_4` - 0.6254595442234231)
      + (`z_5` - 0.5021471873644909) * (`z_5` - 0.5021471873644909)
      + (`z_6` - (-0.4926706454456945)) * (`z_6` - (-0.4926706454456945))
      + (`z_7` - (-0.5994530300400573)) * (`z_7` - (-0.5994530300400573))
      + (`z_8` - 1.1069548966482252) * (`z_8` - 1.1069548966482252) AS `sq_distance_1`,
    (`z_1` - 0.8100824413185495) * (`z_1` - 0.8100824413185495)
      + (`z_2` - 0.0016415504354631773) * (`z_2` - 0.0016415504354631773)
      + (`z_3` - (-0.011565892765016116)) * (`z_3` - (-0.011565892765016116))
      + (`z_4` - (-0.6301151725229704)) * (`z_4` - (-0.6301151725229704))
      + (`z_5` - (-0.5462025732089986)) * (`z_5` - (-0.5462025732089986))
      + (`z_6` - (-0.5447047794019192)) * (`z_6` - (-0.5447047794019192))
      + (`z_7` - 1.5929448306218463) * (`z_7` - 1.5929448306218463)
      + (`z_8` - (-0.792352781081964)) * (`z_8` - (-0.792352781081964)) AS `sq_distance_2`,
    (`z_1` - 0.9214052189332897) * (`z_1` - 0.9214052189332897)
      + (`z_2` - 0.07330436751790861) * (`z_2` - 0.07330436751790861)
      + (`z_3` - 0.15036873049671723) * (`z_3` - 0.15036873049671723)
      + (`z_4` - 1.0838829869180768) * (`z_4` - 1.0838829869180768)
      + (`z_5` - 1.028510742144013) * (`z_5` - 1.028510742144013)
      + (`z_6` - 0.5634247516547122) * (`z_6` - 0.5634247516547122)
      + (`z_7` - 0.16753321302408694) * (`z_7` - 0.16753321302408694)
      + (`z_8` - 0.9492364849389451) * (`z_8` - 0.9492364849389451) AS `sq_distance_3`,
    `segment_reason`
  FROM `scaled`
),
-- the nearest centroid: ties go to the lowest segment index, as in predict
`nearest` AS (
  SELECT
    `segment_row_id`,
    `sq_distance_0`,
    `sq_distance_1`,
    `sq_distance_2`,
    `sq_distance_3`,
    CASE WHEN `segment_reason` IS NOT NULL THEN NULL
      WHEN `sq_distance_0` <= `sq_distance_1` AND `sq_distance_0` <= `sq_distance_2` AND `sq_distance_0` <= `sq_distance_3` THEN 0
      WHEN `sq_distance_1` <= `sq_distance_2` AND `sq_distance_1` <= `sq_distance_3` THEN 1
      WHEN `sq_distance_2` <= `sq_distance_3` THEN 2
      ELSE 3 END AS `nearest_index`,
    `segment_reason`
  FROM `distances`
),
-- the second nearest centroid, ties to the lowest index
`second` AS (
  SELECT
    `segment_row_id`,
    `sq_distance_0`,
    `sq_distance_1`,
    `sq_distance_2`,
    `sq_distance_3`,
    `nearest_index`,
    CASE WHEN `segment_reason` IS NOT NULL THEN NULL
      WHEN `nearest_index` <> 0 AND (`nearest_index` = 1 OR `sq_distance_0` <= `sq_distance_1`) AND (`nearest_index` = 2 OR `sq_distance_0` <= `sq_distance_2`) AND (`nearest_index` = 3 OR `sq_distance_0` <= `sq_distance_3`) THEN 0
      WHEN `nearest_index` <> 1 AND (`nearest_index` = 2 OR `sq_distance_1` <= `sq_distance_2`) AND (`nearest_index` = 3 OR `sq_distance_1` <= `sq_distance_3`) THEN 1
      WHEN `nearest_index` <> 2 AND (`nearest_index` = 3 OR `sq_distance_2` <= `sq_distance_3`) THEN 2
      WHEN `nearest_index` <> 3 THEN 3 END AS `second_index`,
    `segment_reason`
  FROM `nearest`
),
-- the distances to the nearest and second nearest centroids
`scores` AS (
  SELECT
    `segment_row_id`,
    SQRT(CASE `nearest_index` WHEN 0 THEN `sq_distance_0` WHEN 1 THEN `sq_distance_1` WHEN 2 THEN `sq_distance_2` WHEN 3 THEN `sq_distance_3` END) AS `distance`,
    SQRT(CASE `second_index` WHEN 0 THEN `sq_distance_0` WHEN 1 THEN `sq_distance_1` WHEN 2 THEN `sq_distance_2` WHEN 3 THEN `sq_distance_3` END) AS `second_distance`,
    `nearest_index`,
    `second_index`,
    CASE WHEN `segment_reason` IS NULL THEN SQRT(`sq_distance_0`) END AS `distance_0`,
    CASE WHEN `segment_reason` IS NULL THEN SQRT(`sq_distance_1`) END AS `distance_1`,
    CASE WHEN `segment_reason` IS NULL THEN SQRT(`sq_distance_2`) END AS `distance_2`,
    CASE WHEN `segment_reason` IS NULL THEN SQRT(`sq_distance_3`) END AS `distance_3`,
    `segment_reason`
  FROM `second`
)
SELECT
  `segment_row_id` AS `Customer ID`,
  CASE `nearest_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `segment`,
  CASE `nearest_index` WHEN 0 THEN 'Segment 1' WHEN 1 THEN 'Segment 2' WHEN 2 THEN 'Segment 3' WHEN 3 THEN 'Segment 4' END AS `segment_name`,
  `distance` AS `distance`,
  CASE `second_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `second_segment`,
  `second_distance` AS `second_distance`,
  `second_distance` - `distance` AS `margin`,
  `distance` > CASE `nearest_index` WHEN 0 THEN 3.7388276369703215 WHEN 1 THEN 3.697683080677749 WHEN 2 THEN 3.4154224833677125 WHEN 3 THEN 3.9622415816891023 END AS `outlier`,
  `distance_0` AS `distance_1`,
  `distance_1` AS `distance_2`,
  `distance_2` AS `distance_3`,
  `distance_3` AS `distance_4`,
  `segment_reason` AS `reason`
FROM `scores`;
