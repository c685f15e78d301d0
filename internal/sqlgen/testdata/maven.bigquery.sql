-- segment export (dialect bigquery): the segment of every row of "analytics.telecom customers", as `segment predict` gives it
-- model: schema 2, k = 4 (segments 1, 2, 3, 4), scaler normalize, features "Referrals", "Tenure(Months)", "Total_Revenue"; fitted on 5174 rows (input sha256 9309f4308b9111da3604c1b13c337de40fd2de16c9dd75904f3b0d2bf5b5beed)
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- every row is scored, as predict does by default; row steps not applied: seed_table: steps[0].filter
-- reads: "Customer ID" string, "Number of Referrals" int, "Tenure in Months" int, "Total Revenue" float
WITH
-- the raw columns, typed as the model read them
`source` AS (
  SELECT
    `Customer ID` AS `segment_row_id`,
    CASE WHEN CAST(`Number of Referrals` AS FLOAT64) = FLOOR(CAST(`Number of Referrals` AS FLOAT64)) THEN CAST(`Number of Referrals` AS INT64) END AS `Number of Referrals`,
    CASE WHEN CAST(`Tenure in Months` AS FLOAT64) = FLOOR(CAST(`Tenure in Months` AS FLOAT64)) THEN CAST(`Tenure in Months` AS INT64) END AS `Tenure in Months`,
    CASE WHEN (NOT IS_INF(CAST(`Total Revenue` AS FLOAT64)) AND NOT IS_NAN(CAST(`Total Revenue` AS FLOAT64))) THEN CAST(`Total Revenue` AS FLOAT64) END AS `Total Revenue`,
    CASE WHEN `Number of Referrals` IS NOT NULL AND NOT (CAST(`Number of Referrals` AS FLOAT64) = FLOOR(CAST(`Number of Referrals` AS FLOAT64))) THEN 'column "Number of Referrals": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `Tenure in Months` IS NOT NULL AND NOT (CAST(`Tenure in Months` AS FLOAT64) = FLOOR(CAST(`Tenure in Months` AS FLOAT64))) THEN 'column "Tenure in Months": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `Total Revenue` IS NOT NULL AND NOT (NOT IS_INF(CAST(`Total Revenue` AS FLOAT64)) AND NOT IS_NAN(CAST(`Total Revenue` AS FLOAT64))) THEN 'column "Total Revenue": not a number' END AS `segment_reason`
  FROM `analytics`.`telecom customers`
),
-- seed_table: steps[1].rename
`step_rename` AS (
  SELECT
    `segment_row_id`,
    `Number of Referrals` AS `Referrals`,
    `Tenure in Months` AS `Tenure(Months)`,
    `Total Revenue` AS `Total_Revenue`,
    `segment_reason`
  FROM `source`
),
-- seed_table: steps[3].select
`step_select` AS (
  SELECT
    `segment_row_id`,
    `Referrals`,
    `Tenure(Months)`,
    `Total_Revenue`,
    `segment_reason`
  FROM `step_rename`
),
-- revenue_int: steps[0].cast
`step_cast` AS (
  SELECT
    `segment_row_id`,
    `Referrals`,
    `Tenure(Months)`,
    CASE WHEN ABS(`Total_Revenue`) < 9.2e+18 THEN CAST(TRUNC(`Total_Revenue`) AS INT64) END AS `Total_Revenue`,
    COALESCE(`segment_reason`, CASE WHEN `Total_Revenue` IS NULL THEN 'revenue_int: steps[0].cast: column "Total_Revenue": missing value (a cast to int needs a value)' WHEN NOT (ABS(`Total_Revenue`) < 9.2e+18) THEN 'revenue_int: steps[0].cast: column "Total_Revenue": does not fit an int' END) AS `segment_reason`
  FROM `step_select`
),
-- the features as doubles ("Referrals", "Tenure(Months)", "Total_Revenue"); a missing one makes the row's reason
`features` AS (
  SELECT
    `segment_row_id`,
    CAST(`Referrals` AS FLOAT64) AS `x_1`,
    CAST(`Tenure(Months)` AS FLOAT64) AS `x_2`,
    CAST(`Total_Revenue` AS FLOAT64) AS `x_3`,
    COALESCE(`segment_reason`, CASE WHEN `Referrals` IS NULL THEN 'column "Referrals": missing value' WHEN `Tenure(Months)` IS NULL THEN 'column "Tenure(Months)": missing value' WHEN `Total_Revenue` IS NULL THEN 'column "Total_Revenue": missing value' END) AS `segment_reason`
  FROM `step_cast`
),
-- the row's Euclidean norm (normalize)
`row_norm` AS (
  SELECT
    `segment_row_id`,
    `x_1`,
    `x_2`,
    `x_3`,
    SQRT(`x_1` * `x_1` + `x_2` * `x_2` + `x_3` * `x_3`) AS `row_norm`,
    `segment_reason`
  FROM `features`
),
-- scaled: normalize (each row divided by its norm; a row whose norm is below 10·ε is left as it is)
`scaled` AS (
  SELECT
    `segment_row_id`,
    CASE WHEN `row_norm` < 2.220446049250313e-15 THEN `x_1` ELSE `x_1` / `row_norm` END AS `z_1`,
    CASE WHEN `row_norm` < 2.220446049250313e-15 THEN `x_2` ELSE `x_2` / `row_norm` END AS `z_2`,
    CASE WHEN `row_norm` < 2.220446049250313e-15 THEN `x_3` ELSE `x_3` / `row_norm` END AS `z_3`,
    `segment_reason`
  FROM `row_norm`
),
-- squared Euclidean distance to each centroid, summed in feature order (segment index order: segments 1, 2, 3, 4)
`distances` AS (
  SELECT
    `segment_row_id`,
    (`z_1` - 0.0009691482577874748) * (`z_1` - 0.0009691482577874748)
      + (`z_2` - 0.01117746271255524) * (`z_2` - 0.01117746271255524)
      + (`z_3` - 0.999927301600452) * (`z_3` - 0.999927301600452) AS `sq_distance_0`,
    (`z_1` - 0.0022578746592274634) * (`z_1` - 0.0022578746592274634)
      + (`z_2` - 0.029230386034482872) * (`z_2` - 0.029230386034482872)
      + (`z_3` - 0.9995317295653732) * (`z_3` - 0.9995317295653732) AS `sq_distance_1`,
    (`z_1` - 0.060565111472567094) * (`z_1` - 0.060565111472567094)
      + (`z_2` - 0.024983458841171327) * (`z_2` - 0.024983458841171327)
      + (`z_3` - 0.9975906460339321) * (`z_3` - 0.9975906460339321) AS `sq_distance_2`,
    (`z_1` - 0.16939591165603218) * (`z_1` - 0.16939591165603218)
      + (`z_2` - 0.02128895972156307) * (`z_2` - 0.02128895972156307)
      + (`z_3` - 0.9843553726666601) * (`z_3` - 0.9843553726666601) AS `sq_distance_3`,
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
    `segment_reason`
  FROM `second`
)
SELECT
  `segment_row_id` AS `Customer_ID`,
  CASE `nearest_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `segment`,
  CASE `nearest_index` WHEN 0 THEN 'Segment 1' WHEN 1 THEN 'Segment 2' WHEN 2 THEN 'Segment 3' WHEN 3 THEN 'Segment 4' END AS `segment_name`,
  `distance` AS `distance`,
  CASE `second_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `second_segment`,
  `second_distance` AS `second_distance`,
  `second_distance` - `distance` AS `margin`,
  `distance` > CASE `nearest_index` WHEN 0 THEN 0.011807207048747284 WHEN 1 THEN 0.024879607898275796 WHEN 2 THEN 0.03558225563154193 WHEN 3 THEN 0.09219492840540754 END AS `outlier`,
  `segment_reason` AS `reason`
FROM `scores`;
