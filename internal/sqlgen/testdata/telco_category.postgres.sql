-- segment export (dialect postgres): the segment of every row of "crm.telco", as `segment predict` gives it
-- model: schema 3, k = 4 (segments 1, 2, 3, 4), scaler standard, features "tenure", "MonthlyCharges", "TotalCharges"; fitted on 7043 rows (input sha256 88be4b93fbe0cc83421af1c503794c97c342eca914c1576db7c276e61d61358a)
-- k-prototypes: categorical features "Contract", "SeniorCitizen", "PaymentMethod", gamma 0.5000000000000012 per category that differs from a segment's mode; a missing category is a category of its own; a category never seen in training differs from every mode
-- a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in "reason"
-- reads: "customerID" string, "SeniorCitizen" int, "tenure" int, "Contract" string, "PaymentMethod" string, "MonthlyCharges" float, "TotalCharges" float
WITH
-- the raw columns, typed as the model read them
"source" AS (
  SELECT
    "customerID" AS "segment_row_id",
    CASE WHEN CAST("SeniorCitizen" AS DOUBLE PRECISION) = FLOOR(CAST("SeniorCitizen" AS DOUBLE PRECISION)) THEN CAST("SeniorCitizen" AS BIGINT) END AS "SeniorCitizen",
    CASE WHEN CAST("tenure" AS DOUBLE PRECISION) = FLOOR(CAST("tenure" AS DOUBLE PRECISION)) THEN CAST("tenure" AS BIGINT) END AS "tenure",
    CAST("Contract" AS TEXT) AS "Contract",
    CAST("PaymentMethod" AS TEXT) AS "PaymentMethod",
    CASE WHEN (CAST("MonthlyCharges" AS DOUBLE PRECISION) - CAST("MonthlyCharges" AS DOUBLE PRECISION) = 0) THEN CAST("MonthlyCharges" AS DOUBLE PRECISION) END AS "MonthlyCharges",
    CASE WHEN (CAST("TotalCharges" AS DOUBLE PRECISION) - CAST("TotalCharges" AS DOUBLE PRECISION) = 0) THEN CAST("TotalCharges" AS DOUBLE PRECISION) END AS "TotalCharges",
    CASE WHEN "SeniorCitizen" IS NOT NULL AND NOT (CAST("SeniorCitizen" AS DOUBLE PRECISION) = FLOOR(CAST("SeniorCitizen" AS DOUBLE PRECISION))) THEN 'column "SeniorCitizen": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN "tenure" IS NOT NULL AND NOT (CAST("tenure" AS DOUBLE PRECISION) = FLOOR(CAST("tenure" AS DOUBLE PRECISION))) THEN 'column "tenure": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)' WHEN "MonthlyCharges" IS NOT NULL AND NOT (CAST("MonthlyCharges" AS DOUBLE PRECISION) - CAST("MonthlyCharges" AS DOUBLE PRECISION) = 0) THEN 'column "MonthlyCharges": not a number' WHEN "TotalCharges" IS NOT NULL AND NOT (CAST("TotalCharges" AS DOUBLE PRECISION) - CAST("TotalCharges" AS DOUBLE PRECISION) = 0) THEN 'column "TotalCharges": not a number' END AS "segment_reason"
  FROM "crm"."telco"
  OFFSET 0
),
-- clean: steps[0].fillna
"step_fillna" AS (
  SELECT
    "segment_row_id",
    "SeniorCitizen",
    "tenure",
    "Contract",
    "PaymentMethod",
    "MonthlyCharges",
    COALESCE("TotalCharges", CAST(0 AS DOUBLE PRECISION)) AS "TotalCharges",
    "segment_reason"
  FROM "source"
  OFFSET 0
),
-- the features as doubles ("tenure", "MonthlyCharges", "TotalCharges"); a missing one makes the row's reason; then the categorical features as they are ("Contract", "SeniorCitizen", "PaymentMethod")
"features" AS (
  SELECT
    "segment_row_id",
    CAST("tenure" AS DOUBLE PRECISION) AS "x_1",
    "MonthlyCharges" AS "x_2",
    "TotalCharges" AS "x_3",
    "Contract" AS "category_1",
    "SeniorCitizen" AS "category_2",
    "PaymentMethod" AS "category_3",
    COALESCE("segment_reason", CASE WHEN "tenure" IS NULL THEN 'column "tenure": missing value' WHEN "MonthlyCharges" IS NULL THEN 'column "MonthlyCharges": missing value' WHEN "TotalCharges" IS NULL THEN 'column "TotalCharges": missing value' END) AS "segment_reason"
  FROM "step_fillna"
  OFFSET 0
),
-- scaled: standard
"scaled" AS (
  SELECT
    "segment_row_id",
    ("x_1" - CAST(32.37114865824223 AS DOUBLE PRECISION)) / CAST(24.55773742286321 AS DOUBLE PRECISION) AS "z_1",
    ("x_2" - CAST(64.76169246059922 AS DOUBLE PRECISION)) / CAST(30.08791085493703 AS DOUBLE PRECISION) AS "z_2",
    ("x_3" - CAST(2279.734303563826 AS DOUBLE PRECISION)) / CAST(2266.6335386271085 AS DOUBLE PRECISION) AS "z_3",
    "category_1",
    "category_2",
    "category_3",
    "segment_reason"
  FROM "features"
  OFFSET 0
),
-- k-prototypes dissimilarity to each centroid: squared Euclidean distance summed in feature order, plus gamma times the categories that differ from the centroid's modes (segment index order: segments 1, 2, 3, 4)
"distances" AS (
  SELECT
    "segment_row_id",
    (("z_1" - CAST(-0.6557368007674615 AS DOUBLE PRECISION)) * ("z_1" - CAST(-0.6557368007674615 AS DOUBLE PRECISION))
      + ("z_2" - CAST(0.5325233013927526 AS DOUBLE PRECISION)) * ("z_2" - CAST(0.5325233013927526 AS DOUBLE PRECISION))
      + ("z_3" - CAST(-0.42303813102301996 AS DOUBLE PRECISION)) * ("z_3" - CAST(-0.42303813102301996 AS DOUBLE PRECISION)))
      + CAST(0.5000000000000012 AS DOUBLE PRECISION) * CAST((CASE WHEN "category_1" = 'Month-to-month' THEN 0 ELSE 1 END + CASE WHEN "category_2" = 0 THEN 0 ELSE 1 END + CASE WHEN "category_3" = 'Electronic check' THEN 0 ELSE 1 END) AS DOUBLE PRECISION) AS "sq_distance_0",
    (("z_1" - CAST(1.1360438577622363 AS DOUBLE PRECISION)) * ("z_1" - CAST(1.1360438577622363 AS DOUBLE PRECISION))
      + ("z_2" - CAST(0.9484568795293035 AS DOUBLE PRECISION)) * ("z_2" - CAST(0.9484568795293035 AS DOUBLE PRECISION))
      + ("z_3" - CAST(1.4727730729477166 AS DOUBLE PRECISION)) * ("z_3" - CAST(1.4727730729477166 AS DOUBLE PRECISION)))
      + CAST(0.5000000000000012 AS DOUBLE PRECISION) * CAST((CASE WHEN "category_1" = 'Two year' THEN 0 ELSE 1 END + CASE WHEN "category_2" = 0 THEN 0 ELSE 1 END + CASE WHEN "category_3" = 'Bank transfer (automatic)' THEN 0 ELSE 1 END) AS DOUBLE PRECISION) AS "sq_distance_1",
    (("z_1" - CAST(-0.8926312106114043 AS DOUBLE PRECISION)) * ("z_1" - CAST(-0.8926312106114043 AS DOUBLE PRECISION))
      + ("z_2" - CAST(-1.0927328355978418 AS DOUBLE PRECISION)) * ("z_2" - CAST(-1.0927328355978418 AS DOUBLE PRECISION))
      + ("z_3" - CAST(-0.8679575055547706 AS DOUBLE PRECISION)) * ("z_3" - CAST(-0.8679575055547706 AS DOUBLE PRECISION)))
      + CAST(0.5000000000000012 AS DOUBLE PRECISION) * CAST((CASE WHEN "category_1" = 'Month-to-month' THEN 0 ELSE 1 END + CASE WHEN "category_2" = 0 THEN 0 ELSE 1 END + CASE WHEN "category_3" = 'Mailed check' THEN 0 ELSE 1 END) AS DOUBLE PRECISION) AS "sq_distance_2",
    (("z_1" - CAST(0.886453027207399 AS DOUBLE PRECISION)) * ("z_1" - CAST(0.886453027207399 AS DOUBLE PRECISION))
      + ("z_2" - CAST(-1.01434341390047 AS DOUBLE PRECISION)) * ("z_2" - CAST(-1.01434341390047 AS DOUBLE PRECISION))
      + ("z_3" - CAST(-0.1990577675141001 AS DOUBLE PRECISION)) * ("z_3" - CAST(-0.1990577675141001 AS DOUBLE PRECISION)))
      + CAST(0.5000000000000012 AS DOUBLE PRECISION) * CAST((CASE WHEN "category_1" = 'Two year' THEN 0 ELSE 1 END + CASE WHEN "category_2" = 0 THEN 0 ELSE 1 END + CASE WHEN "category_3" IS NULL THEN 0 ELSE 1 END) AS DOUBLE PRECISION) AS "sq_distance_3",
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
  "segment_row_id" AS "customerID",
  CASE "nearest_index" WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS "segment",
  CASE "nearest_index" WHEN 0 THEN 'Segment 1' WHEN 1 THEN 'Segment 2' WHEN 2 THEN 'Segment 3' WHEN 3 THEN 'Segment 4' END AS "segment_name",
  "distance" AS "distance",
  CASE "second_index" WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 4 END AS "second_segment",
  "second_distance" AS "second_distance",
  "second_distance" - "distance" AS "margin",
  "distance" > CASE "nearest_index" WHEN 0 THEN CAST(1.644980490583228 AS DOUBLE PRECISION) WHEN 1 THEN CAST(1.7288199914918467 AS DOUBLE PRECISION) WHEN 2 THEN CAST(1.3580808813412466 AS DOUBLE PRECISION) WHEN 3 THEN CAST(1.6235576029494674 AS DOUBLE PRECISION) END AS "outlier",
  "distance_0" AS "distance_1",
  "distance_1" AS "distance_2",
  "distance_2" AS "distance_3",
  "distance_3" AS "distance_4",
  "segment_reason" AS "reason"
FROM "scores";
