package synth

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// engagementColumns are the column names written by Engagement, in order.
var engagementColumns = [...]string{
	"Customer ID", "Purchase Frequency", "Session Duration", "Email Open Rate",
	"Mobile App Usage", "Support Tickets", "Social Media Engagement", "Product Reviews",
	"Loyalty Points",
}

var engagementHeader = csvHeader(engagementColumns[:])

// EngagementColumns returns the 9 column names written by Engagement, in
// order. The slice is a fresh copy.
func EngagementColumns() []string { return append([]string(nil), engagementColumns[:]...) }

// Metrics of the engagement model, in column order after Customer ID.
const (
	engPurchase = iota
	engSession
	engEmail
	engApp
	engTickets
	engSocial
	engReviews
	engLoyalty
	nEngMetrics
)

// Latent factors of the engagement model.
const (
	facValue      = iota // overall value/activity of the customer
	facMarketing         // responsiveness to e-mail and social campaigns
	facFriction          // dissatisfaction: tickets and reviews
	facPurchasing        // buying, beyond app activity (drives loyalty points)
	nFactors
)

// engLoadings[m][f] is the loading of metric m on factor f. Each latent
// z_m = Σ_f L[m][f]·F_f + sqrt(1 − Σ_f L[m][f]²)·ε_m is standard normal.
var engLoadings = [nEngMetrics][nFactors]float64{
	engPurchase: {0.84, 0.10, -0.10, 0.40},
	engSession:  {0.35, 0, -0.15, 0},
	engEmail:    {0.10, 0.77, -0.15, 0},
	engApp:      {0.93, 0.08, 0, 0},
	engTickets:  {-0.15, 0, 0.70, 0},
	engSocial:   {0.10, 0.77, 0, 0},
	engReviews:  {-0.50, -0.30, 0.50, -0.10},
	engLoyalty:  {0.55, 0, 0, 0.62},
}

// engUnique[m] = sqrt(1 − communality of metric m).
var engUnique = func() (u [nEngMetrics]float64) {
	for m, row := range engLoadings {
		var h float64
		for _, l := range row {
			h += l * l
		}
		u[m] = math.Sqrt(1 - h)
	}
	return u
}()

// Marginal transforms: x = g(μ + σ·z), monotone in z, so the Gaussian
// copula of the latents is kept.
var (
	engMu    = [nEngMetrics]float64{math.Log(12), math.Log(8), -1, math.Log(15), -0.2, math.Log(20), 0.2, math.Log(1200)}
	engSigma = [nEngMetrics]float64{0.5, 0.7, 0.9, 0.5, 0.8, 0.8, 0.8, 0.5}
)

// engagement is one generated row of metrics.
type engagement struct {
	purchase, tickets, social, reviews, loyalty int64
	session, email, app                         float64
}

// draw fills e from fresh latent factors.
func (e *engagement) draw(r *rand.Rand) {
	var f [nFactors]float64
	for k := range f {
		f[k] = r.NormFloat64()
	}
	var y [nEngMetrics]float64
	for m := range y {
		z := engUnique[m] * r.NormFloat64()
		for k, l := range engLoadings[m] {
			z += l * f[k]
		}
		y[m] = engMu[m] + engSigma[m]*z
	}
	e.purchase = int64(math.Floor(math.Exp(y[engPurchase])))
	e.session = round(math.Exp(y[engSession]), 100)
	e.email = round(logistic(y[engEmail]), 1000)
	e.app = round(max(0, math.Exp(y[engApp])-1), 10)
	e.tickets = int64(math.Floor(math.Exp(y[engTickets])))
	e.social = int64(math.Floor(math.Exp(y[engSocial])))
	e.reviews = int64(math.Floor(math.Exp(y[engReviews])))
	e.loyalty = int64(math.Round(math.Exp(y[engLoyalty])))
}

// round rounds x to the nearest multiple of 1/scale.
func round(x, scale float64) float64 { return math.Round(x*scale) / scale }

// appendCSV appends the 8 metric fields after Customer ID and the line end.
func (e *engagement) appendCSV(b []byte) []byte {
	b = append(b, ',')
	b = strconv.AppendInt(b, e.purchase, 10)
	b = append(b, ',')
	b = appendFixed(b, e.session, 2)
	b = append(b, ',')
	b = appendFixed(b, e.email, 3)
	b = append(b, ',')
	b = appendFixed(b, e.app, 1)
	for _, v := range [...]int64{e.tickets, e.social, e.reviews, e.loyalty} {
		b = append(b, ',')
		b = strconv.AppendInt(b, v, 10)
	}
	return append(b, '\n')
}

// Engagement writes customer-engagement metrics for rows customers to w:
// CSV with the header EngagementColumns() and LF line ends.
//
// Units: Purchase Frequency is purchases per year, Session Duration the mean
// session length in minutes (2 decimals, lognormal), Email Open Rate a share
// in [0, 1] (3 decimals), Mobile App Usage hours per month (1 decimal,
// >= 0), Support Tickets and Product Reviews counts per year, Social Media
// Engagement interactions per month and Loyalty Points the points balance;
// all counts are non-negative integers. The metrics come from a Gaussian
// copula with four latent factors (see the package documentation), so App
// usage tracks purchases, purchases track loyalty points, e-mail opens go
// with social engagement and product reviews run against the others.
//
// The same rows and seed always give the same bytes (math/rand/v2 PCG
// seeded with seed). Engagement returns an error if w is nil, rows < 1 or
// rows exceeds the number of distinct IDs, or if writing fails.
func Engagement(w io.Writer, rows int, seed uint64) error {
	if err := checkArgs(w, rows); err != nil {
		return err
	}
	r := newRand(seed, engagementStream)
	ids := idGen{n: uint64(rows)}
	bw := bufio.NewWriterSize(w, bufSize)
	if _, err := bw.WriteString(engagementHeader); err != nil {
		return fmt.Errorf("synth: writing engagement header: %w", err)
	}
	var e engagement
	buf := make([]byte, 0, 128)
	for i := 0; i < rows; i++ {
		buf = ids.next(buf[:0], r)
		e.draw(r)
		buf = e.appendCSV(buf)
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("synth: writing engagement row %d: %w", i+1, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synth: flushing engagement table: %w", err)
	}
	return nil
}
