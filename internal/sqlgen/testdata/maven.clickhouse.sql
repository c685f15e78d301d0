-- segment export (dialect clickhouse): the segment of every row of "analytics.telecom customers", as `segment predict` gives it
-- model: schema 2, k = 4 (segments 1, 2, 3, 4), scaler normalize, features "Referrals", "Tenure(Months)", "Total_Revenue"; fitted on 5174 rows (input sha256 9309f4308b9111da3604c1b13c337de40fd2de16c9dd75904f3b0d2bf5b5beed)
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- every row is scored, as predict does by default; row steps not applied: seed_table: steps[0].filter
-- reads: "Customer ID" string, "Number of Referrals" int, "Tenure in Months" int, "Total Revenue" float
WITH
-- the raw columns, typed as the model read them
`source` AS (
  SELECT
    `input_table`.`Customer ID` AS `segment_row_id`,
    CASE WHEN CAST(`input_table`.`Number of Referrals` AS Nullable(Float64)) = floor(CAST(`input_table`.`Number of Referrals` AS Nullable(Float64))) THEN CAST(`input_table`.`Number of Referrals` AS Nullable(Int64)) END AS `Number of Referrals`,
    CASE WHEN CAST(`input_table`.`Tenure in Months` AS Nullable(Float64)) = floor(CAST(`input_table`.`Tenure in Months` AS Nullable(Float64))) THEN CAST(`input_table`.`Tenure in Months` AS Nullable(Int64)) END AS `Tenure in Months`,
    CASE WHEN isFinite(CAST(`input_table`.`Total Revenue` AS Nullable(Float64))) THEN CAST(`input_table`.`Total Revenue` AS Nullable(Float64)) END AS `Total Revenue`,
    CASE WHEN `input_table`.`Number of Referrals` IS NOT NULL AND NOT (CAST(`input_table`.`Number of Referrals` AS Nullable(Float64)) = floor(CAST(`input_table`.`Number of Referrals` AS Nullable(Float64)))) THEN 'column "Number of Referrals": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `input_table`.`Tenure in Months` IS NOT NULL AND NOT (CAST(`input_table`.`Tenure in Months` AS Nullable(Float64)) = floor(CAST(`input_table`.`Tenure in Months` AS Nullable(Float64)))) THEN 'column "Tenure in Months": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN `input_table`.`Total Revenue` IS NOT NULL AND NOT isFinite(CAST(`input_table`.`Total Revenue` AS Nullable(Float64))) THEN 'column "Total Revenue": not a number' END AS `segment_reason`
  FROM `analytics`.`telecom customers` AS `input_table`
),
-- seed_table: steps[1].rename
`step_rename` AS (
  SELECT
    `source`.`segment_row_id` AS `segment_row_id`,
    `source`.`Number of Referrals` AS `Referrals`,
    `source`.`Tenure in Months` AS `Tenure(Months)`,
    `source`.`Total Revenue` AS `Total_Revenue`,
    `source`.`segment_reason` AS `segment_reason`
  FROM `source`
),
-- seed_table: steps[3].select
`step_select` AS (
  SELECT
    `step_rename`.`segment_row_id` AS `segment_row_id`,
    `step_rename`.`Referrals` AS `Referrals`,
    `step_rename`.`Tenure(Months)` AS `Tenure(Months)`,
    `step_rename`.`Total_Revenue` AS `Total_Revenue`,
    `step_rename`.`segment_reason` AS `segment_reason`
  FROM `step_rename`
),
-- revenue_int: steps[0].cast
`step_cast` AS (
  SELECT
    `step_select`.`segment_row_id` AS `segment_row_id`,
    `step_select`.`Referrals` AS `Referrals`,
    `step_select`.`Tenure(Months)` AS `Tenure(Months)`,
    CASE WHEN abs(`step_select`.`Total_Revenue`) < 9.2e+18 THEN CAST(trunc(`step_select`.`Total_Revenue`) AS Nullable(Int64)) END AS `Total_Revenue`,
    COALESCE(`step_select`.`segment_reason`, CASE WHEN `step_select`.`Total_Revenue` IS NULL THEN 'revenue_int: steps[0].cast: column "Total_Revenue": missing value (a cast to int needs a value)' WHEN NOT (abs(`step_select`.`Total_Revenue`) < 9.2e+18) THEN 'revenue_int: steps[0].cast: column "Total_Revenue": does not fit an int' END) AS `segment_reason`
  FROM `step_select`
),
-- the features as doubles ("Referrals", "Tenure(Months)", "Total_Revenue"); a missing one makes the row's reason
`features` AS (
  SELECT
    `step_cast`.`segment_row_id` AS `segment_row_id`,
    CAST(`step_cast`.`Referrals` AS Nullable(Float64)) AS `x_1`,
    CAST(`step_cast`.`Tenure(Months)` AS Nullable(Float64)) AS `x_2`,
    CAST(`step_cast`.`Total_Revenue` AS Nullable(Float64)) AS `x_3`,
    COALESCE(`step_cast`.`segment_reason`, CASE WHEN `step_cast`.`Referrals` IS NULL THEN 'column "Referrals": missing value' WHEN `step_cast`.`Tenure(Months)` IS NULL THEN 'column "Tenure(Months)": missing value' WHEN `step_cast`.`Total_Revenue` IS NULL THEN 'column "Total_Revenue": missing value' END) AS `segment_reason`
  FROM `step_cast`
),
-- the row's Euclidean norm (normalize)
`row_norm` AS (
  SELECT
    `features`.`segment_row_id` AS `segment_row_id`,
    `features`.`x_1` AS `x_1`,
    `features`.`x_2` AS `x_2`,
    `features`.`x_3` AS `x_3`,
    sqrt(`features`.`x_1` * `features`.`x_1` + `features`.`x_2` * `features`.`x_2` + `features`.`x_3` * `features`.`x_3`) AS `row_norm`,
    `features`.`segment_reason` AS `segment_reason`
  FROM `features`
),
-- scaled: normalize (each row divided by its norm; a row whose norm is below 10·ε is left as it is)
`scaled` AS (
  SELECT
    `row_norm`.`segment_row_id` AS `segment_row_id`,
    CASE WHEN `row_norm`.`row_norm` < 2.220446049250313e-15 THEN `row_norm`.`x_1` ELSE `row_norm`.`x_1` / `row_norm`.`row_norm` END AS `z_1`,
    CASE WHEN `row_norm`.`row_norm` < 2.220446049250313e-15 THEN `row_norm`.`x_2` ELSE `row_norm`.`x_2` / `row_norm`.`row_norm` END AS `z_2`,
    CASE WHEN `row_norm`.`row_norm` < 2.220446049250313e-15 THEN `row_norm`.`x_3` ELSE `row_norm`.`x_3` / `row_norm`.`row_norm` END AS `z_3`,
    `row_norm`.`segment_reason` AS `segment_reason`
  FROM `row_norm`
),
-- squared Euclidean distance to each centroid, summed in feature order (segment index order: segments 1, 2, 3, 4)
`distances` AS (
  SELECT
    `scaled`.`segment_row_id` AS `segment_row_id`,
    (`scaled`.`z_1` - 0.0009691482577874748) * (`scaled`.`z_1` - 0.0009691482577874748)
      + (`scaled`.`z_2` - 0.01117746271255524) * (`scaled`.`z_2` - 0.01117746271255524)
      + (`scaled`.`z_3` - 0.999927301600452) * (`scaled`.`z_3` - 0.999927301600452) AS `sq_distance_0`,
    (`scaled`.`z_1` - 0.0022578746592274634) * (`scaled`.`z_1` - 0.0022578746592274634)
      + (`scaled`.`z_2` - 0.029230386034482872) * (`scaled`.`z_2` - 0.029230386034482872)
      + (`scaled`.`z_3` - 0.9995317295653732) * (`scaled`.`z_3` - 0.9995317295653732) AS `sq_distance_1`,
    (`scaled`.`z_1` - 0.060565111472567094) * (`scaled`.`z_1` - 0.060565111472567094)
      + (`scaled`.`z_2` - 0.024983458841171327) * (`scaled`.`z_2` - 0.024983458841171327)
      + (`scaled`.`z_3` - 0.9975906460339321) * (`scaled`.`z_3` - 0.9975906460339321) AS `sq_distance_2`,
    (`scaled`.`z_1` - 0.16939591165603218) * (`scaled`.`z_1` - 0.16939591165603218)
      + (`scaled`.`z_2` - 0.02128895972156307) * (`scaled`.`z_2` - 0.02128895972156307)
      + (`scaled`.`z_3` - 0.9843553726666601) * (`scaled`.`z_3` - 0.9843553726666601) AS `sq_distance_3`,
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
    `second`.`segment_reason` AS `segment_reason`
  FROM `second`
)
SELECT
  `scores`.`segment_row_id` AS `Customer_ID`,
  CASE `scores`.`nearest_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `segment`,
  CASE `scores`.`nearest_index` WHEN 0 THEN 'Segment 1' WHEN 1 THEN 'Segment 2' WHEN 2 THEN 'Segment 3' WHEN 3 THEN 'Segment 4' END AS `segment_name`,
  `scores`.`distance` AS `distance`,
  CASE `scores`.`second_index` WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS `second_segment`,
  `scores`.`second_distance` AS `second_distance`,
  `scores`.`second_distance` - `scores`.`distance` AS `margin`,
  `scores`.`distance` > CASE `scores`.`nearest_index` WHEN 0 THEN 0.011807207048747284 WHEN 1 THEN 0.024879607898275796 WHEN 2 THEN 0.03558225563154193 WHEN 3 THEN 0.09219492840540754 END AS `outlier`,
  `scores`.`segment_reason` AS `reason`
FROM `scores`;
