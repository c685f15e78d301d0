-- segment export (dialect clickhouse): the segment of every row of "churn", as `segment predict` gives it
-- model: schema 2, k = 4 (segments 1, 2, 3, 4), scaler standard, features "Tenure", "GB", "Avg Monthly Long Distance Charges", "Monthly Charge", "Revenue per month", "Contract_One Year", "Contract_Two Year", "Internet Type_Fiber Optic"; fitted on 6608 rows (input sha256 fbf4e4ba698e79798d79ea1d6d654d1d3986bc547bebc50d666d880d416082b0)
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- every row is scored, as predict does by default; row steps not applied: clean: steps[0].filter
-- reads: "Customer ID" string, "Tenure in Months" int, "Avg Monthly Long Distance Charges" float, "Internet Type" string, "Avg Monthly GB Download" int, "Contract" string, "Monthly Charge" float, "Total Revenue" float
WITH
-- the raw columns, typed as the model read them
`source` AS (
  SELECT
    `input_table`.`Customer ID` AS `segment_row_id`,
    CASE WHEN CAST(`input_table`.`Tenure in Months` AS Nullable(Float64)) = floor(CAST(`input_table`.`Tenure in Months` AS Nullable(Float64))) THEN CAST(`input_table`.`Tenure in Months` AS Nullable(Int64)) END AS `Tenure in Months`,
    CASE WHEN isFinite(CAST(`input_table`.`Avg Monthly Long Distance Charges` AS Nullable(Float64))) THEN CAST(`input_table`.`Avg Monthly Long Distance Charges` AS Nullable(Float64)) END AS `Avg Monthly Long Distance Charges`,
    CAST(`input_table`.`Internet Type` AS Nullable(String)) AS `Internet Type`,
    CASE WHEN CAST(`input_table`.`Avg Monthly GB Download` AS Nullable(Float64)) = floor(CAST(`input_table`.`Avg Monthly GB Download` AS Nullable(Float64))) THEN CAST(`input_table`.`Avg Monthly GB Download` AS Nullable(Int64)) END AS `Avg Monthly GB Download`,
    CAST(`input_table`.`Contract` AS Nullable(String)) AS `Contract`,
    CASE WHEN isFinite(CAST(`input_table`.`Monthly Charge` AS Nullable(Float64))) THEN CAST(`input_table`.`Monthly Charge` AS Nullable(Float64)) END AS `Monthly Charge`,
    CASE WHEN isFinite(CAST(`input_table`.`Total Revenue` AS Nullable(Float64))) THEN CAST(`input_table`.`Total Revenue` AS Nullable(Float64)) END AS `Total Revenue`,
    CASE WHEN `input_table`.`Tenure in Months` IS NOT NULL AND NOT (CAST(`input_table`.`Tenure in Months` AS Nullable(Float64)) = floor(CAST(`input_table`.`Tenure in Months` AS Nullable(Float64)))) THEN 'column "Tenure in Months": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `input_table`.`Avg Monthly Long Distance Charges` IS NOT NULL AND NOT isFinite(CAST(`input_table`.`Avg Monthly Long Distance Charges` AS Nullable(Float64))) THEN 'column "Avg Monthly Long Distance Charges": not a number' WHEN `input_table`.`Avg Monthly GB Download` IS NOT NULL AND NOT (CAST(`input_table`.`Avg Monthly GB Download` AS Nullable(Float64)) = floor(CAST(`input_table`.`Avg Monthly GB Download` AS Nullable(Float64)))) THEN 'column "Avg Monthly GB Download": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `input_table`.`Monthly Charge` IS NOT NULL AND NOT isFinite(CAST(`input_table`.`Monthly Charge` AS Nullable(Float64))) THEN 'column "Monthly Charge": not a number' WHEN `input_table`.`Total Revenue` IS NOT NULL AND NOT isFinite(CAST(`input_table`.`Total Revenue` AS Nullable(Float64))) THEN 'column "Total Revenue": not a number' END AS `segment_reason`
  FROM `churn` AS `input_table`
),
-- clean: steps[1].rename
`step_rename` AS (
  SELECT
    `source`.`segment_row_id` AS `segment_row_id`,
    `source`.`Tenure in Months` AS `Tenure`,
    `source`.`Avg Monthly Long Distance Charges` AS `Avg Monthly Long Distance Charges`,
    `source`.`Internet Type` AS `Internet Type`,
    `source`.`Avg Monthly GB Download` AS `GB`,
    `source`.`Contract` AS `Contract`,
    `source`.`Monthly Charge` AS `Monthly Charge`,
    `source`.`Total Revenue` AS `Total Revenue`,
    `source`.`segment_reason` AS `segment_reason`
  FROM `source`
),
-- clean: steps[2].fillna
`step_fillna` AS (
  SELECT
    `step_rename`.`segment_row_id` AS `segment_row_id`,
    `step_rename`.`Tenure` AS `Tenure`,
    COALESCE(`step_rename`.`Avg Monthly Long Distance Charges`, 25.215) AS `Avg Monthly Long Distance Charges`,
    `step_rename`.`Internet Type` AS `Internet Type`,
    COALESCE(CAST(`step_rename`.`GB` AS Nullable(Float64)), 26.123647604327665) AS `GB`,
    `step_rename`.`Contract` AS `Contract`,
    `step_rename`.`Monthly Charge` AS `Monthly Charge`,
    `step_rename`.`Total Revenue` AS `Total Revenue`,
    `step_rename`.`segment_reason` AS `segment_reason`
  FROM `step_rename`
),
-- clean: steps[3].clip
`step_clip` AS (
  SELECT
    `step_fillna`.`segment_row_id` AS `segment_row_id`,
    `step_fillna`.`Tenure` AS `Tenure`,
    `step_fillna`.`Avg Monthly Long Distance Charges` AS `Avg Monthly Long Distance Charges`,
    `step_fillna`.`Internet Type` AS `Internet Type`,
    `step_fillna`.`GB` AS `GB`,
    `step_fillna`.`Contract` AS `Contract`,
    CASE WHEN `step_fillna`.`Monthly Charge` < 19.55 THEN 19.55 WHEN `step_fillna`.`Monthly Charge` > 105.95 THEN 105.95 ELSE `step_fillna`.`Monthly Charge` END AS `Monthly Charge`,
    `step_fillna`.`Total Revenue` AS `Total Revenue`,
    `step_fillna`.`segment_reason` AS `segment_reason`
  FROM `step_fillna`
),
-- clean: steps[4].derive
`step_derive` AS (
  SELECT
    `step_clip`.`segment_row_id` AS `segment_row_id`,
    `step_clip`.`Tenure` AS `Tenure`,
    `step_clip`.`Avg Monthly Long Distance Charges` AS `Avg Monthly Long Distance Charges`,
    `step_clip`.`Internet Type` AS `Internet Type`,
    `step_clip`.`GB` AS `GB`,
    `step_clip`.`Contract` AS `Contract`,
    `step_clip`.`Monthly Charge` AS `Monthly Charge`,
    `step_clip`.`Total Revenue` AS `Total Revenue`,
    CASE WHEN `step_clip`.`Tenure` IS NULL OR `step_clip`.`Total Revenue` IS NULL THEN CAST(NULL AS Nullable(Float64)) ELSE (`step_clip`.`Total Revenue` / CAST((CASE WHEN `step_clip`.`Tenure` < 1 THEN 1 ELSE `step_clip`.`Tenure` END) AS Nullable(Float64))) END AS `Revenue per month`,
    `step_clip`.`segment_reason` AS `segment_reason`
  FROM `step_clip`
),
-- clean: steps[4].derive (a NaN or infinite value is missing)
`step_derive_finite` AS (
  SELECT
    `step_derive`.`segment_row_id` AS `segment_row_id`,
    `step_derive`.`Tenure` AS `Tenure`,
    `step_derive`.`Avg Monthly Long Distance Charges` AS `Avg Monthly Long Distance Charges`,
    `step_derive`.`Internet Type` AS `Internet Type`,
    `step_derive`.`GB` AS `GB`,
    `step_derive`.`Contract` AS `Contract`,
    `step_derive`.`Monthly Charge` AS `Monthly Charge`,
    `step_derive`.`Total Revenue` AS `Total Revenue`,
    CASE WHEN isFinite(`step_derive`.`Revenue per month`) THEN `step_derive`.`Revenue per month` END AS `Revenue per month`,
    `step_derive`.`segment_reason` AS `segment_reason`
  FROM `step_derive`
),
-- clean: steps[5].onehot
`step_onehot` AS (
  SELECT
    `step_derive_finite`.`segment_row_id` AS `segment_row_id`,
    `step_derive_finite`.`Tenure` AS `Tenure`,
    `step_derive_finite`.`Avg Monthly Long Distance Charges` AS `Avg Monthly Long Distance Charges`,
    `step_derive_finite`.`GB` AS `GB`,
    `step_derive_finite`.`Monthly Charge` AS `Monthly Charge`,
    `step_derive_finite`.`Total Revenue` AS `Total Revenue`,
    `step_derive_finite`.`Revenue per month` AS `Revenue per month`,
    CAST(CASE WHEN `step_derive_finite`.`Contract` = 'One Year' THEN 1 ELSE 0 END AS Nullable(Int64)) AS `Contract_One Year`,
    CAST(CASE WHEN `step_derive_finite`.`Contract` = 'Two Year' THEN 1 ELSE 0 END AS Nullable(Int64)) AS `Contract_Two Year`,
    CAST(CASE WHEN `step_derive_finite`.`Internet Type` = 'Fiber Optic' THEN 1 ELSE 0 END AS Nullable(Int64)) AS `Internet Type_Fiber Optic`,
    `step_derive_finite`.`segment_reason` AS `segment_reason`
  FROM `step_derive_finite`
),
-- the features as doubles ("Tenure", "GB", "Avg Monthly Long Distance Charges", "Monthly Charge", "Revenue per month", "Contract_One Year", "Contract_Two Year", "Internet Type_Fiber Optic"); a missing one makes the row's reason
`features` AS (
  SELECT
    `step_onehot`.`segment_row_id` AS `segment_row_id`,
    CAST(`step_onehot`.`Tenure` AS Nullable(Float64)) AS `x_1`,
    `step_onehot`.`GB` AS `x_2`,
    `step_onehot`.`Avg Monthly Long Distance Charges` AS `x_3`,
    `step_onehot`.`Monthly Charge` AS `x_4`,
    `step_onehot`.`Revenue per month` AS `x_5`,
    CAST(`step_onehot`.`Contract_One Year` AS Nullable(Float64)) AS `x_6`,
    CAST(`step_onehot`.`Contract_Two Year` AS Nullable(Float64)) AS `x_7`,
    CAST(`step_onehot`.`Internet Type_Fiber Optic` AS Nullable(Float64)) AS `x_8`,
    COALESCE(`step_onehot`.`segment_reason`, CASE WHEN `step_onehot`.`Tenure` IS NULL THEN 'column "Tenure": missing value' WHEN `step_onehot`.`GB` IS NULL THEN 'column "GB": missing value' WHEN `step_onehot`.`Avg Monthly Long Distance Charges` IS NULL THEN 'column "Avg Monthly Long Distance Charges": missing value' WHEN `step_onehot`.`Monthly Charge` IS NULL THEN 'column "Monthly Charge": missing value' WHEN `step_onehot`.`Revenue per month` IS NULL THEN 'column "Revenue per month": missing value' WHEN `step_onehot`.`Contract_One Year` IS NULL THEN 'column "Contract_One Year": missing value' WHEN `step_onehot`.`Contract_Two Year` IS NULL THEN 'column "Contract_Two Year": missing value' WHEN `step_onehot`.`Internet Type_Fiber Optic` IS NULL THEN 'column "Internet Type_Fiber Optic": missing value' END) AS `segment_reason`
  FROM `step_onehot`
),
-- scaled: standard
`scaled` AS (
  SELECT
    `features`.`segment_row_id` AS `segment_row_id`,
    (`features`.`x_1` - 34.431446731234864) / 23.90936067845078 AS `z_1`,
    (`features`.`x_2` - 26.12364760432829) / 17.25894540109387 AS `z_2`,
    (`features`.`x_3` - 25.305544794188684) / 13.36430828539756 AS `z_3`,
    (`features`.`x_4` - 64.20938256658603) / 28.52348110710625 AS `z_4`,
    (`features`.`x_5` - 88.4355419125078) / 33.24533836080054 AS `z_5`,
    (`features`.`x_6` - 0.2288135593220339) / 0.4200689400472471 AS `z_6`,
    (`features`.`x_7` - 0.28268765133171914) / 0.45030583286946596 AS `z_7`,
    (`features`.`x_8` - 0.4364406779661017) / 0.49594375949554137 AS `z_8`,
    `features`.`segment_reason` AS `segment_reason`
  FROM `features`
),
-- squared Euclidean distance to each centroid, summed in feature order (segment index order: segments 1, 2, 3, 4)
`distances` AS (
  SELECT
    `scaled`.`segment_row_id` AS `segment_row_id`,
    (`scaled`.`z_1` - (-0.4624110535106535)) * (`scaled`.`z_1` - (-0.4624110535106535))
      + (`scaled`.`z_2` - (-0.018479359238141882)) * (`scaled`.`z_2` - (-0.018479359238141882))
      + (`scaled`.`z_3` - (-0.05923132125501492)) * (`scaled`.`z_3` - (-0.05923132125501492))
      + (`scaled`.`z_4` - (-0.6912412587595378)) * (`scaled`.`z_4` - (-0.6912412587595378))
      + (`scaled`.`z_5` - (-0.6211923031693545)) * (`scaled`.`z_5` - (-0.6211923031693545))
      + (`scaled`.`z_6` - 0.3638187406525972) * (`scaled`.`z_6` - 0.3638187406525972)
      + (`scaled`.`z_7` - (-0.6277681315615219)) * (`scaled`.`z_7` - (-0.6277681315615219))
      + (`scaled`.`z_8` - (-0.8640809193003552)) * (`scaled`.`z_8` - (-0.8640809193003552)) AS `sq_distance_0`,
    (`scaled`.`z_1` - (-0.7689837314297807)) * (`scaled`.`z_1` - (-0.7689837314297807))
      + (`scaled`.`z_2` - (-0.03386565504510152)) * (`scaled`.`z_2` - (-0.03386565504510152))
      + (`scaled`.`z_3` - (-0.02747430118654529)) * (`scaled`.`z_3` - (-0.02747430118654529))
      + (`scaled`.`z_4` - 0.6254595442234231) * (`scaled`.`z_4` - 0.6254595442234231)
      + (`scaled`.`z_5` - 0.5021471873644909) * (`scaled`.`z_5` - 0.5021471873644909)
      + (`scaled`.`z_6` - (-0.4926706454456945)) * (`scaled`.`z_6` - (-0.4926706454456945))
      + (`scaled`.`z_7` - (-0.5994530300400573)) * (`scaled`.`z_7` - (-0.5994530300400573))
      + (`scaled`.`z_8` - 1.1069548966482252) * (`scaled`.`z_8` - 1.1069548966482252) AS `sq_distance_1`,
    (`scaled`.`z_1` - 0.8100824413185495) * (`scaled`.`z_1` - 0.8100824413185495)
      + (`scaled`.`z_2` - 0.0016415504354631773) * (`scaled`.`z_2` - 0.0016415504354631773)
      + (`scaled`.`z_3` - (-0.011565892765016116)) * (`scaled`.`z_3` - (-0.011565892765016116))
      + (`scaled`.`z_4` - (-0.6301151725229704)) * (`scaled`.`z_4` - (-0.6301151725229704))
      + (`scaled`.`z_5` - (-0.5462025732089986)) * (`scaled`.`z_5` - (-0.5462025732089986))
      + (`scaled`.`z_6` - (-0.5447047794019192)) * (`scaled`.`z_6` - (-0.5447047794019192))
      + (`scaled`.`z_7` - 1.5929448306218463) * (`scaled`.`z_7` - 1.5929448306218463)
      + (`scaled`.`z_8` - (-0.792352781081964)) * (`scaled`.`z_8` - (-0.792352781081964)) AS `sq_distance_2`,
    (`scaled`.`z_1` - 0.9214052189332897) * (`scaled`.`z_1` - 0.9214052189332897)
      + (`scaled`.`z_2` - 0.07330436751790861) * (`scaled`.`z_2` - 0.07330436751790861)
      + (`scaled`.`z_3` - 0.15036873049671723) * (`scaled`.`z_3` - 0.15036873049671723)
      + (`scaled`.`z_4` - 1.0838829869180768) * (`scaled`.`z_4` - 1.0838829869180768)
      + (`scaled`.`z_5` - 1.028510742144013) * (`scaled`.`z_5` - 1.028510742144013)
      + (`scaled`.`z_6` - 0.5634247516547122) * (`scaled`.`z_6` - 0.5634247516547122)
      + (`scaled`.`z_7` - 0.16753321302408694) * (`scaled`.`z_7` - 0.16753321302408694)
      + (`scaled`.`z_8` - 0.9492364849389451) * (`scaled`.`z_8` - 0.9492364849389451) AS `sq_distance_3`,
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
  `scores`.`segment_row_id` AS `Customer ID`,
  CASE `scores`.`nearest_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `segment`,
  CASE `scores`.`nearest_index` WHEN 0 THEN 'Segment 1' WHEN 1 THEN 'Segment 2' WHEN 2 THEN 'Segment 3' WHEN 3 THEN 'Segment 4' END AS `segment_name`,
  `scores`.`distance` AS `distance`,
  CASE `scores`.`second_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `second_segment`,
  `scores`.`second_distance` AS `second_distance`,
  `scores`.`second_distance` - `scores`.`distance` AS `margin`,
  `scores`.`distance` > CASE `scores`.`nearest_index` WHEN 0 THEN 3.7388276369703215 WHEN 1 THEN 3.697683080677749 WHEN 2 THEN 3.4154224833677125 WHEN 3 THEN 3.9622415816891023 END AS `outlier`,
  `scores`.`distance_0` AS `distance_1`,
  `scores`.`distance_1` AS `distance_2`,
  `scores`.`distance_2` AS `distance_3`,
  `scores`.`distance_3` AS `distance_4`,
  `scores`.`segment_reason` AS `reason`
FROM `scores`;
