-- segment export (dialect postgres): the segment of every row of "churn", as `segment predict` gives it
-- model: schema 2, k = 4 (segments 1, 2, 3, 4), scaler standard, features "Tenure", "GB", "Avg Monthly Long Distance Charges", "Monthly Charge", "Revenue per month", "Contract_One Year", "Contract_Two Year", "Internet Type_Fiber Optic"; fitted on 6608 rows (input sha256 fbf4e4ba698e79798d79ea1d6d654d1d3986bc547bebc50d666d880d416082b0)
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- every row is scored, as predict does by default; row steps not applied: clean: steps[0].filter
-- reads: "Customer ID" string, "Tenure in Months" int, "Avg Monthly Long Distance Charges" float, "Internet Type" string, "Avg Monthly GB Download" int, "Contract" string, "Monthly Charge" float, "Total Revenue" float
WITH
-- the raw columns, typed as the model read them
"source" AS (
  SELECT
    "Customer ID" AS "segment_row_id",
    CASE WHEN CAST("Tenure in Months" AS DOUBLE PRECISION) = FLOOR(CAST("Tenure in Months" AS DOUBLE PRECISION)) THEN CAST("Tenure in Months" AS BIGINT) END AS "Tenure in Months",
    CASE WHEN (CAST("Avg Monthly Long Distance Charges" AS DOUBLE PRECISION) - CAST("Avg Monthly Long Distance Charges" AS DOUBLE PRECISION) = 0) THEN CAST("Avg Monthly Long Distance Charges" AS DOUBLE PRECISION) END AS "Avg Monthly Long Distance Charges",
    CAST("Internet Type" AS TEXT) AS "Internet Type",
    CASE WHEN CAST("Avg Monthly GB Download" AS DOUBLE PRECISION) = FLOOR(CAST("Avg Monthly GB Download" AS DOUBLE PRECISION)) THEN CAST("Avg Monthly GB Download" AS BIGINT) END AS "Avg Monthly GB Download",
    CAST("Contract" AS TEXT) AS "Contract",
    CASE WHEN (CAST("Monthly Charge" AS DOUBLE PRECISION) - CAST("Monthly Charge" AS DOUBLE PRECISION) = 0) THEN CAST("Monthly Charge" AS DOUBLE PRECISION) END AS "Monthly Charge",
    CASE WHEN (CAST("Total Revenue" AS DOUBLE PRECISION) - CAST("Total Revenue" AS DOUBLE PRECISION) = 0) THEN CAST("Total Revenue" AS DOUBLE PRECISION) END AS "Total Revenue",
    CASE WHEN "Tenure in Months" IS NOT NULL AND NOT (CAST("Tenure in Months" AS DOUBLE PRECISION) = FLOOR(CAST("Tenure in Months" AS DOUBLE PRECISION))) THEN 'column "Tenure in Months": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN "Avg Monthly Long Distance Charges" IS NOT NULL AND NOT (CAST("Avg Monthly Long Distance Charges" AS DOUBLE PRECISION) - CAST("Avg Monthly Long Distance Charges" AS DOUBLE PRECISION) = 0) THEN 'column "Avg Monthly Long Distance Charges": not a number' WHEN "Avg Monthly GB Download" IS NOT NULL AND NOT (CAST("Avg Monthly GB Download" AS DOUBLE PRECISION) = FLOOR(CAST("Avg Monthly GB Download" AS DOUBLE PRECISION))) THEN 'column "Avg Monthly GB Download": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN "Monthly Charge" IS NOT NULL AND NOT (CAST("Monthly Charge" AS DOUBLE PRECISION) - CAST("Monthly Charge" AS DOUBLE PRECISION) = 0) THEN 'column "Monthly Charge": not a number' WHEN "Total Revenue" IS NOT NULL AND NOT (CAST("Total Revenue" AS DOUBLE PRECISION) - CAST("Total Revenue" AS DOUBLE PRECISION) = 0) THEN 'column "Total Revenue": not a number' END AS "segment_reason"
  FROM "churn"
  OFFSET 0
),
-- clean: steps[1].rename
"step_rename" AS (
  SELECT
    "segment_row_id",
    "Tenure in Months" AS "Tenure",
    "Avg Monthly Long Distance Charges",
    "Internet Type",
    "Avg Monthly GB Download" AS "GB",
    "Contract",
    "Monthly Charge",
    "Total Revenue",
    "segment_reason"
  FROM "source"
  OFFSET 0
),
-- clean: steps[2].fillna
"step_fillna" AS (
  SELECT
    "segment_row_id",
    "Tenure",
    COALESCE("Avg Monthly Long Distance Charges", CAST(25.215 AS DOUBLE PRECISION)) AS "Avg Monthly Long Distance Charges",
    "Internet Type",
    COALESCE(CAST("GB" AS DOUBLE PRECISION), CAST(26.123647604327665 AS DOUBLE PRECISION)) AS "GB",
    "Contract",
    "Monthly Charge",
    "Total Revenue",
    "segment_reason"
  FROM "step_rename"
  OFFSET 0
),
-- clean: steps[3].clip
"step_clip" AS (
  SELECT
    "segment_row_id",
    "Tenure",
    "Avg Monthly Long Distance Charges",
    "Internet Type",
    "GB",
    "Contract",
    CASE WHEN "Monthly Charge" < CAST(19.55 AS DOUBLE PRECISION) THEN CAST(19.55 AS DOUBLE PRECISION) WHEN "Monthly Charge" > CAST(105.95 AS DOUBLE PRECISION) THEN CAST(105.95 AS DOUBLE PRECISION) ELSE "Monthly Charge" END AS "Monthly Charge",
    "Total Revenue",
    "segment_reason"
  FROM "step_fillna"
  OFFSET 0
),
-- clean: steps[4].derive
"step_derive" AS (
  SELECT
    "segment_row_id",
    "Tenure",
    "Avg Monthly Long Distance Charges",
    "Internet Type",
    "GB",
    "Contract",
    "Monthly Charge",
    "Total Revenue",
    CASE WHEN "Tenure" IS NULL OR "Total Revenue" IS NULL THEN CAST(NULL AS DOUBLE PRECISION) ELSE (CASE WHEN CAST((CASE WHEN "Tenure" < 1 THEN 1 ELSE "Tenure" END) AS DOUBLE PRECISION) = 0 THEN "Total Revenue" * CAST('Infinity' AS DOUBLE PRECISION) ELSE "Total Revenue" / CAST((CASE WHEN "Tenure" < 1 THEN 1 ELSE "Tenure" END) AS DOUBLE PRECISION) END) END AS "Revenue per month",
    "segment_reason"
  FROM "step_clip"
  OFFSET 0
),
-- clean: steps[4].derive (a NaN or infinite value is missing)
"step_derive_finite" AS (
  SELECT
    "segment_row_id",
    "Tenure",
    "Avg Monthly Long Distance Charges",
    "Internet Type",
    "GB",
    "Contract",
    "Monthly Charge",
    "Total Revenue",
    CASE WHEN ("Revenue per month" - "Revenue per month" = 0) THEN "Revenue per month" END AS "Revenue per month",
    "segment_reason"
  FROM "step_derive"
  OFFSET 0
),
-- clean: steps[5].onehot
"step_onehot" AS (
  SELECT
    "segment_row_id",
    "Tenure",
    "Avg Monthly Long Distance Charges",
    "GB",
    "Monthly Charge",
    "Total Revenue",
    "Revenue per month",
    CAST(CASE WHEN "Contract" = 'One Year' THEN 1 ELSE 0 END AS BIGINT) AS "Contract_One Year",
    CAST(CASE WHEN "Contract" = 'Two Year' THEN 1 ELSE 0 END AS BIGINT) AS "Contract_Two Year",
    CAST(CASE WHEN "Internet Type" = 'Fiber Optic' THEN 1 ELSE 0 END AS BIGINT) AS "Internet Type_Fiber Optic",
    "segment_reason"
  FROM "step_derive_finite"
  OFFSET 0
),
-- the features as doubles ("Tenure", "GB", "Avg Monthly Long Distance Charges", "Monthly Charge", "Revenue per month", "Contract_One Year", "Contract_Two Year", "Internet Type_Fiber Optic"); a missing one makes the row's reason
"features" AS (
  SELECT
    "segment_row_id",
    CAST("Tenure" AS DOUBLE PRECISION) AS "x_1",
    "GB" AS "x_2",
    "Avg Monthly Long Distance Charges" AS "x_3",
    "Monthly Charge" AS "x_4",
    "Revenue per month" AS "x_5",
    CAST("Contract_One Year" AS DOUBLE PRECISION) AS "x_6",
    CAST("Contract_Two Year" AS DOUBLE PRECISION) AS "x_7",
    CAST("Internet Type_Fiber Optic" AS DOUBLE PRECISION) AS "x_8",
    COALESCE("segment_reason", CASE WHEN "Tenure" IS NULL THEN 'column "Tenure": missing value' WHEN "GB" IS NULL THEN 'column "GB": missing value' WHEN "Avg Monthly Long Distance Charges" IS NULL THEN 'column "Avg Monthly Long Distance Charges": missing value' WHEN "Monthly Charge" IS NULL THEN 'column "Monthly Charge": missing value' WHEN "Revenue per month" IS NULL THEN 'column "Revenue per month": missing value' WHEN "Contract_One Year" IS NULL THEN 'column "Contract_One Year": missing value' WHEN "Contract_Two Year" IS NULL THEN 'column "Contract_Two Year": missing value' WHEN "Internet Type_Fiber Optic" IS NULL THEN 'column "Internet Type_Fiber Optic": missing value' END) AS "segment_reason"
  FROM "step_onehot"
  OFFSET 0
),
-- scaled: standard
"scaled" AS (
  SELECT
    "segment_row_id",
    ("x_1" - CAST(34.431446731234864 AS DOUBLE PRECISION)) / CAST(23.90936067845078 AS DOUBLE PRECISION) AS "z_1",
    ("x_2" - CAST(26.12364760432829 AS DOUBLE PRECISION)) / CAST(17.25894540109387 AS DOUBLE PRECISION) AS "z_2",
    ("x_3" - CAST(25.305544794188684 AS DOUBLE PRECISION)) / CAST(13.36430828539756 AS DOUBLE PRECISION) AS "z_3",
    ("x_4" - CAST(64.20938256658603 AS DOUBLE PRECISION)) / CAST(28.52348110710625 AS DOUBLE PRECISION) AS "z_4",
    ("x_5" - CAST(88.4355419125078 AS DOUBLE PRECISION)) / CAST(33.24533836080054 AS DOUBLE PRECISION) AS "z_5",
    ("x_6" - CAST(0.2288135593220339 AS DOUBLE PRECISION)) / CAST(0.4200689400472471 AS DOUBLE PRECISION) AS "z_6",
    ("x_7" - CAST(0.28268765133171914 AS DOUBLE PRECISION)) / CAST(0.45030583286946596 AS DOUBLE PRECISION) AS "z_7",
    ("x_8" - CAST(0.4364406779661017 AS DOUBLE PRECISION)) / CAST(0.49594375949554137 AS DOUBLE PRECISION) AS "z_8",
    "segment_reason"
  FROM "features"
  OFFSET 0
),
-- squared Euclidean distance to each centroid, summed in feature order (segment index order: segments 1, 2, 3, 4)
"distances" AS (
  SELECT
    "segment_row_id",
    ("z_1" - CAST(-0.4624110535106535 AS DOUBLE PRECISION)) * ("z_1" - CAST(-0.4624110535106535 AS DOUBLE PRECISION))
      + ("z_2" - CAST(-0.018479359238141882 AS DOUBLE PRECISION)) * ("z_2" - CAST(-0.018479359238141882 AS DOUBLE PRECISION))
      + ("z_3" - CAST(-0.05923132125501492 AS DOUBLE PRECISION)) * ("z_3" - CAST(-0.05923132125501492 AS DOUBLE PRECISION))
      + ("z_4" - CAST(-0.6912412587595378 AS DOUBLE PRECISION)) * ("z_4" - CAST(-0.6912412587595378 AS DOUBLE PRECISION))
      + ("z_5" - CAST(-0.6211923031693545 AS DOUBLE PRECISION)) * ("z_5" - CAST(-0.6211923031693545 AS DOUBLE PRECISION))
      + ("z_6" - CAST(0.3638187406525972 AS DOUBLE PRECISION)) * ("z_6" - CAST(0.3638187406525972 AS DOUBLE PRECISION))
      + ("z_7" - CAST(-0.6277681315615219 AS DOUBLE PRECISION)) * ("z_7" - CAST(-0.6277681315615219 AS DOUBLE PRECISION))
      + ("z_8" - CAST(-0.8640809193003552 AS DOUBLE PRECISION)) * ("z_8" - CAST(-0.8640809193003552 AS DOUBLE PRECISION)) AS "sq_distance_0",
    ("z_1" - CAST(-0.7689837314297807 AS DOUBLE PRECISION)) * ("z_1" - CAST(-0.7689837314297807 AS DOUBLE PRECISION))
      + ("z_2" - CAST(-0.03386565504510152 AS DOUBLE PRECISION)) * ("z_2" - CAST(-0.03386565504510152 AS DOUBLE PRECISION))
      + ("z_3" - CAST(-0.02747430118654529 AS DOUBLE PRECISION)) * ("z_3" - CAST(-0.02747430118654529 AS DOUBLE PRECISION))
      + ("z_4" - CAST(0.6254595442234231 AS DOUBLE PRECISION)) * ("z_4" - CAST(0.6254595442234231 AS DOUBLE PRECISION))
      + ("z_5" - CAST(0.5021471873644909 AS DOUBLE PRECISION)) * ("z_5" - CAST(0.5021471873644909 AS DOUBLE PRECISION))
      + ("z_6" - CAST(-0.4926706454456945 AS DOUBLE PRECISION)) * ("z_6" - CAST(-0.4926706454456945 AS DOUBLE PRECISION))
      + ("z_7" - CAST(-0.5994530300400573 AS DOUBLE PRECISION)) * ("z_7" - CAST(-0.5994530300400573 AS DOUBLE PRECISION))
      + ("z_8" - CAST(1.1069548966482252 AS DOUBLE PRECISION)) * ("z_8" - CAST(1.1069548966482252 AS DOUBLE PRECISION)) AS "sq_distance_1",
    ("z_1" - CAST(0.8100824413185495 AS DOUBLE PRECISION)) * ("z_1" - CAST(0.8100824413185495 AS DOUBLE PRECISION))
      + ("z_2" - CAST(0.0016415504354631773 AS DOUBLE PRECISION)) * ("z_2" - CAST(0.0016415504354631773 AS DOUBLE PRECISION))
      + ("z_3" - CAST(-0.011565892765016116 AS DOUBLE PRECISION)) * ("z_3" - CAST(-0.011565892765016116 AS DOUBLE PRECISION))
      + ("z_4" - CAST(-0.6301151725229704 AS DOUBLE PRECISION)) * ("z_4" - CAST(-0.6301151725229704 AS DOUBLE PRECISION))
      + ("z_5" - CAST(-0.5462025732089986 AS DOUBLE PRECISION)) * ("z_5" - CAST(-0.5462025732089986 AS DOUBLE PRECISION))
      + ("z_6" - CAST(-0.5447047794019192 AS DOUBLE PRECISION)) * ("z_6" - CAST(-0.5447047794019192 AS DOUBLE PRECISION))
      + ("z_7" - CAST(1.5929448306218463 AS DOUBLE PRECISION)) * ("z_7" - CAST(1.5929448306218463 AS DOUBLE PRECISION))
      + ("z_8" - CAST(-0.792352781081964 AS DOUBLE PRECISION)) * ("z_8" - CAST(-0.792352781081964 AS DOUBLE PRECISION)) AS "sq_distance_2",
    ("z_1" - CAST(0.9214052189332897 AS DOUBLE PRECISION)) * ("z_1" - CAST(0.9214052189332897 AS DOUBLE PRECISION))
      + ("z_2" - CAST(0.07330436751790861 AS DOUBLE PRECISION)) * ("z_2" - CAST(0.07330436751790861 AS DOUBLE PRECISION))
      + ("z_3" - CAST(0.15036873049671723 AS DOUBLE PRECISION)) * ("z_3" - CAST(0.15036873049671723 AS DOUBLE PRECISION))
      + ("z_4" - CAST(1.0838829869180768 AS DOUBLE PRECISION)) * ("z_4" - CAST(1.0838829869180768 AS DOUBLE PRECISION))
      + ("z_5" - CAST(1.028510742144013 AS DOUBLE PRECISION)) * ("z_5" - CAST(1.028510742144013 AS DOUBLE PRECISION))
      + ("z_6" - CAST(0.5634247516547122 AS DOUBLE PRECISION)) * ("z_6" - CAST(0.5634247516547122 AS DOUBLE PRECISION))
      + ("z_7" - CAST(0.16753321302408694 AS DOUBLE PRECISION)) * ("z_7" - CAST(0.16753321302408694 AS DOUBLE PRECISION))
      + ("z_8" - CAST(0.9492364849389451 AS DOUBLE PRECISION)) * ("z_8" - CAST(0.9492364849389451 AS DOUBLE PRECISION)) AS "sq_distance_3",
    "segment_reason"
  FROM "scaled"
  OFFSET 0
),
-- the nearest centroid: ties go to the lowest segment index, as in predict
"nearest" AS (
  SELECT
    "segment_row_id",
    "sq_distance_0",
    "sq_distance_1",
    "sq_distance_2",
    "sq_distance_3",
    CASE WHEN "segment_reason" IS NOT NULL THEN NULL
      WHEN "sq_distance_0" <= "sq_distance_1" AND "sq_distance_0" <= "sq_distance_2" AND "sq_distance_0" <= "sq_distance_3" THEN 0
      WHEN "sq_distance_1" <= "sq_distance_2" AND "sq_distance_1" <= "sq_distance_3" THEN 1
      WHEN "sq_distance_2" <= "sq_distance_3" THEN 2
      ELSE 3 END AS "nearest_index",
    "segment_reason"
  FROM "distances"
  OFFSET 0
),
-- the second nearest centroid, ties to the lowest index
"second" AS (
  SELECT
    "segment_row_id",
    "sq_distance_0",
    "sq_distance_1",
    "sq_distance_2",
    "sq_distance_3",
    "nearest_index",
    CASE WHEN "segment_reason" IS NOT NULL THEN NULL
      WHEN "nearest_index" <> 0 AND ("nearest_index" = 1 OR "sq_distance_0" <= "sq_distance_1") AND ("nearest_index" = 2 OR "sq_distance_0" <= "sq_distance_2") AND ("nearest_index" = 3 OR "sq_distance_0" <= "sq_distance_3") THEN 0
      WHEN "nearest_index" <> 1 AND ("nearest_index" = 2 OR "sq_distance_1" <= "sq_distance_2") AND ("nearest_index" = 3 OR "sq_distance_1" <= "sq_distance_3") THEN 1
      WHEN "nearest_index" <> 2 AND ("nearest_index" = 3 OR "sq_distance_2" <= "sq_distance_3") THEN 2
      WHEN "nearest_index" <> 3 THEN 3 END AS "second_index",
    "segment_reason"
  FROM "nearest"
  OFFSET 0
),
-- the distances to the nearest and second nearest centroids
"scores" AS (
  SELECT
    "segment_row_id",
    SQRT(CASE "nearest_index" WHEN 0 THEN "sq_distance_0" WHEN 1 THEN "sq_distance_1" WHEN 2 THEN "sq_distance_2" WHEN 3 THEN "sq_distance_3" END) AS "distance",
    SQRT(CASE "second_index" WHEN 0 THEN "sq_distance_0" WHEN 1 THEN "sq_distance_1" WHEN 2 THEN "sq_distance_2" WHEN 3 THEN "sq_distance_3" END) AS "second_distance",
    "nearest_index",
    "second_index",
    CASE WHEN "segment_reason" IS NULL THEN SQRT("sq_distance_0") END AS "distance_0",
    CASE WHEN "segment_reason" IS NULL THEN SQRT("sq_distance_1") END AS "distance_1",
    CASE WHEN "segment_reason" IS NULL THEN SQRT("sq_distance_2") END AS "distance_2",
    CASE WHEN "segment_reason" IS NULL THEN SQRT("sq_distance_3") END AS "distance_3",
    "segment_reason"
  FROM "second"
  OFFSET 0
)
SELECT
  "segment_row_id" AS "Customer ID",
  CASE "nearest_index" WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS "segment",
  CASE "nearest_index" WHEN 0 THEN 'Segment 1' WHEN 1 THEN 'Segment 2' WHEN 2 THEN 'Segment 3' WHEN 3 THEN 'Segment 4' END AS "segment_name",
  "distance" AS "distance",
  CASE "second_index" WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS "second_segment",
  "second_distance" AS "second_distance",
  "second_distance" - "distance" AS "margin",
  "distance" > CASE "nearest_index" WHEN 0 THEN CAST(3.7388276369703215 AS DOUBLE PRECISION) WHEN 1 THEN CAST(3.697683080677749 AS DOUBLE PRECISION) WHEN 2 THEN CAST(3.4154224833677125 AS DOUBLE PRECISION) WHEN 3 THEN CAST(3.9622415816891023 AS DOUBLE PRECISION) END AS "outlier",
  "distance_0" AS "distance_1",
  "distance_1" AS "distance_2",
  "distance_2" AS "distance_3",
  "distance_3" AS "distance_4",
  "segment_reason" AS "reason"
FROM "scores";
