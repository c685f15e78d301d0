// Package synth writes synthetic customer tables for testing the
// segmentation pipeline at any size: Churn, a clone of Maven Analytics'
// telecom churn table (all 38 columns), and Engagement, a table of
// customer-engagement metrics. Blobs draws Gaussian blobs of unequal
// sizes with well-separated centres, the obvious structure choosing k must
// find.
//
// Both generators stream CSV (header row, LF line ends, RFC 4180 quoting
// where a field needs it) through a bufio.Writer, use memory independent of
// the number of rows, and draw from a math/rand/v2 PCG source seeded with
// the caller's seed: the same (rows, seed) always gives the same bytes.
// Churn and Engagement use different PCG stream words, so one seed gives
// unrelated tables. Customer IDs ("0002-ORFBO": 4 digits, a dash, 5
// uppercase letters) are distinct and increasing: row i draws its ID
// uniformly from the i-th of rows equal strata of the 118,813,760,000 IDs.
//
// # Churn model
//
// Each customer is drawn field by field, each field conditioned on earlier
// ones. The parameters are fitted on the real file
// (shared/datasets/telecom_customer_churn.csv, 7043 rows) by
// testdata/gen_params.py, which writes churn_params_gen.go; the few set by
// hand (the add-on effect sd, the extra-data schedule, the churn intercept
// shift) are constants in churn_model.go, named below.
//
//   - Gender, Age (uniform on 19–64 and on 65–80, 16% seniors), Tenure in
//     Months (the real 72-value histogram: spikes at 1 and 72).
//   - Married: logistic in tenure. Dependents: rate by married × senior,
//     count from the real histogram. Referrals: none unless married (as in
//     the real file), else 0, 1 (logistic, falling with tenure) or 2–11.
//   - Offer: tied to tenure bands as in the real file (E: 1–9 months,
//     D: 10–23, C: 24–39, B: 40–65, A: 66–72), else "None".
//   - Services: phone and internet, phone only, or internet only, by senior
//     (no customer lacks both). Internet Type; Multiple Lines and the six
//     paid add-ons are logistic in [tenure, fiber, senior], the add-ons
//     sharing a customer random effect (sd 0.7, coefficients rescaled by
//     the logistic-normal approximation) so they cluster as in the real
//     file. Streaming Music follows the real file's age rule; Avg Monthly GB
//     Download uses the real per-age-group values; Avg Monthly Long
//     Distance Charges is uniform on 1.01–49.99.
//   - Contract: multinomial logit in [tenure, tenure², married, ≥2
//     referrals, fiber, no internet]. Paperless Billing by internet type ×
//     senior; Payment Method by contract × internet type.
//   - Monthly Charge: the OLS price list (phone 19.98, extra lines 5.02,
//     fiber 49.97, DSL 24.99, cable 25.03, add-ons 5 or 10) plus normal
//     noise, in multiples of 5 cents; in 1.7% of rows it is replaced by a
//     whole −1…−10 as in the real file. Total Charges = Monthly Charge ×
//     tenure × (1 + N(0, 0.201²/tenure)) (exactly the charge at tenure 1).
//     Total Long Distance = tenure × average. Refunds (1.01–49.99, at most
//     19% of Total Charges) grow likelier over the first 5 months. Extra
//     data charges ($10 steps to $150: mostly $10 in the first months,
//     spreading with tenure; a hand-set schedule) only without Unlimited
//     Data. Total Revenue = Total Charges − Total Refunds + Total
//     Extra Data Charges + Total Long Distance Charges is computed in
//     integer cents, so it holds exactly in the file. Money is written like
//     the real file: at most two decimals, trailing zeros dropped ("65.6",
//     "-4", "974.81").
//   - Churn: logistic regression fitted with scikit-learn on 20 of the
//     above features (tenure, contract, internet type, security, support,
//     payment, paperless, married, dependents, senior, referrals, Offer E,
//     streaming TV, multiple lines), plus a calibrated intercept shift
//     (churnShift) that restores the real 26.5% churn share. A customer
//     who does not churn is Joined if tenure ≤ 3 and Stayed otherwise,
//     which is the rule the real file obeys. Churn Reason is drawn from the
//     real reason counts for the customer's service bundle; Churn Category
//     is the reason's real category.
//   - City, Zip Code, Latitude, Longitude: every 4th real zip code (407 of
//     1626, all over California) with its real city and coordinate strings,
//     weighted by its real customer count.
//
// # Engagement model
//
// A Gaussian copula with four latent standard-normal factors — value
// (overall activity), marketing responsiveness, friction (dissatisfaction)
// and purchasing — and the loadings in engLoadings. Each metric's latent
// z = Σ loading·factor + unique noise is standard normal and is mapped to
// its marginal by a monotone transform, which keeps the copula: Purchase
// Frequency ⌊exp(ln 12 + 0.5z)⌋ per year; Session Duration exp(ln 8 +
// 0.7z) minutes (2 decimals, lognormal); Email Open Rate logistic(−1 +
// 0.9z) (3 decimals, in [0, 1]); Mobile App Usage max(0, exp(ln 15 +
// 0.5z) − 1) hours per month (1 decimal); Support Tickets ⌊exp(−0.2 +
// 0.8z)⌋; Social Media Engagement ⌊exp(ln 20 + 0.8z)⌋ interactions;
// Product Reviews ⌊exp(0.2 + 0.8z)⌋; Loyalty Points round(exp(ln 1200 +
// 0.5z)). The loadings were tuned so that, measured by Pearson on 5,000
// rows, App usage ↔ purchases is the strongest pair (≈ 0.77), purchases ↔
// loyalty ≈ 0.68, e-mail ↔ social ≈ 0.5, Product Reviews is ≤ −0.2 with
// purchases, app usage, e-mail and loyalty (dissatisfied customers review
// more) and is in the strongest negative pair, and most other pairs are
// weak (|r| < 0.3).
//
// # How the numbers were checked
//
// testdata/compare_churn.py compares a generated table with the real one
// (shares of every category, means and sds of every numeric column, churn
// rates by contract, internet type, tenure, age, payment and referrals, and
// key correlations such as corr(tenure, Total Revenue): 0.853 real,
// ≈ 0.86 synthetic). The tests check, with Pearson correlations computed
// in Go, the schema against the real header, every column's domain against
// the real file's values and ranges (testdata/maven_reference.json, made
// with pandas by testdata/gen_reference.py), blanks against services,
// status shares, the exact revenue identity, the tenure rules, the churn
// ordering by contract, the engagement correlation structure on several
// seeds, and determinism by sha256. The Go Pearson itself is checked
// against pandas to 1e-12 on the real file and on the seed-42 tables.
//
// Outputs are bit-identical for a given seed on a given platform; math.Exp
// and math.Log may differ in the last bit across architectures, which
// could in principle change a rare rounding or Bernoulli draw.
package synth

//go:generate sh -c "/usr/bin/python3 testdata/gen_params.py ../../../shared/datasets > churn_params_gen.go && gofmt -w churn_params_gen.go"
