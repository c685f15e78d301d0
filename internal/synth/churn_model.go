package synth

import (
	"math"
	"math/rand/v2"
)

// zipRow is one real (city, zip, latitude, longitude) of the Maven file and
// the number of its customers there, used as a sampling weight.
type zipRow struct {
	city, zip, lat, lon string
	n                   int
}

// reason is a real churn reason, its category and its counts among churned
// customers with both services, internet only and phone only.
type reason struct {
	name, category string
	n              [3]int
}

// Service bundles, in the order of pServices and reason.n.
const (
	svcBoth = iota
	svcInternetOnly
	svcPhoneOnly
)

// Internet types, in the order of pInternetType, pPaperless and pPayment
// (itNone is "no internet").
const (
	itFiber = iota
	itDSL
	itCable
	itNone
)

// Contracts in the order of contractCoef.
const (
	contractMonthly = iota
	contractOneYear
	contractTwoYear
)

// Customer statuses.
const (
	statusStayed = iota
	statusJoined
	statusChurned
)

// Add-ons in the order of addonCoef.
const (
	addonSecurity = iota
	addonBackup
	addonDevice
	addonTech
	addonTV
	addonMovies
	nAddons
)

// churnTables holds the cumulative tables derived from churn_params_gen.go.
type churnTables struct {
	tenure, deps, refs, itype        cumTable
	services                         [2]cumTable // by senior
	gbYoung, gbTail, gbCore, zip     cumTable
	payment                          [12]cumTable // by contract x internet type
	reasons                          [3]cumTable  // by service bundle
	cityField, reasonField, catField []string     // CSV-encoded strings
}

var churnTabs = buildChurnTables()

func buildChurnTables() *churnTables {
	t := &churnTables{
		tenure:  newCumInt(tenureCounts[:]),
		deps:    newCumInt(dependentCounts[:]),
		refs:    newCumInt(refCounts[:]),
		itype:   newCumFloat(pInternetType[:]),
		gbYoung: newCumInt(gbYoungCounts[:]),
		gbTail:  newCumInt(gbTailCounts[:]),
		gbCore:  newCumInt(gbCoreCounts[:]),
	}
	for s := range 2 {
		t.services[s] = newCumFloat(pServices[3*s : 3*s+3])
	}
	for k := range pPayment {
		t.payment[k] = newCumFloat(pPayment[k][:])
	}
	zw := make([]int, len(zipTable))
	t.cityField = make([]string, len(zipTable))
	for i, z := range zipTable {
		zw[i] = z.n
		t.cityField[i] = csvField(z.city)
	}
	t.zip = newCumInt(zw)
	for s := range 3 {
		w := make([]int, len(churnReasons))
		for i, r := range churnReasons {
			w[i] = r.n[s]
		}
		t.reasons[s] = newCumInt(w)
	}
	for _, r := range churnReasons {
		t.reasonField = append(t.reasonField, csvField(r.name))
		t.catField = append(t.catField, csvField(r.category))
	}
	return t
}

// customer is one generated row of the churn table. Money is in cents.
type customer struct {
	male, married, senior     bool
	age, deps, zip, refs      int
	tenure, offer             int // offer: 0 None, 1..5 = Offer A..E
	services                  int
	phone, multiLines         bool
	ldAvg                     int64
	internet                  bool
	itype, gb                 int
	addon                     [nAddons]bool
	music, unlimited          bool
	contract                  int
	paperless                 bool
	payment                   int
	charge                    int64 // Monthly Charge as written (may be negative)
	total, refund, extra, ldT int64
	revenue                   int64
	status, reason            int
}

// offerBand maps tenure to the index of its offer band in pOffer and the
// offer it may carry (Offer E for 1-9 months ... Offer A for 66-72).
func offerBand(tenure int) (band, offer int) {
	switch {
	case tenure <= 9:
		return 0, 5
	case tenure <= 23:
		return 1, 4
	case tenure <= 39:
		return 2, 3
	case tenure <= 65:
		return 3, 2
	default:
		return 4, 1
	}
}

func b2f(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

// draw fills c with a new customer. The order of random draws is part of
// the output format: changing it changes every file.
func (c *customer) draw(r *rand.Rand, t *churnTables) {
	*c = customer{}
	c.male = r.Float64() < pMale
	c.senior = r.Float64() < pSenior
	if c.senior {
		c.age = 65 + r.IntN(16)
	} else {
		c.age = 19 + r.IntN(46)
	}
	c.tenure = 1 + t.tenure.pick(r)
	tn := float64(c.tenure) / 72
	c.married = r.Float64() < logistic(linear(marriedCoef[:], tn))
	pd := pDependents[2*int(b2f(c.married))+int(b2f(c.senior))]
	if r.Float64() < pd {
		c.deps = 1 + t.deps.pick(r)
	}
	c.zip = t.zip.pick(r)
	if c.married && r.Float64() >= pRef0 {
		if r.Float64() < logistic(linear(ref1Coef[:], tn)) {
			c.refs = 1
		} else {
			c.refs = 2 + t.refs.pick(r)
		}
	}
	band, offer := offerBand(c.tenure)
	if r.Float64() < pOffer[band] {
		c.offer = offer
	}

	c.services = t.services[int(b2f(c.senior))].pick(r)
	c.phone = c.services != svcInternetOnly
	c.internet = c.services != svcPhoneOnly
	c.itype = itNone
	if c.internet {
		c.itype = t.itype.pick(r)
	}
	fiber := b2f(c.itype == itFiber)
	sen := b2f(c.senior)
	if c.phone {
		c.ldAvg = 101 + r.Int64N(4899) // 1.01 .. 49.99
		c.multiLines = r.Float64() < logistic(linear(mlCoef[:], tn, fiber, sen))
	}
	if c.internet {
		switch {
		case c.age <= 30:
			c.gb = gbYoungValues[t.gbYoung.pick(r)]
		case !c.senior && r.Float64() < pGBTail:
			c.gb = gbTailValues[t.gbTail.pick(r)]
		default:
			c.gb = 2 + t.gbCore.pick(r)
		}
		// A shared customer effect makes add-ons cluster as in the real file;
		// scaling the population-averaged coefficients keeps the marginals.
		u := addonSigma * r.NormFloat64()
		for k := range nAddons {
			c.addon[k] = r.Float64() < logistic(addonScale*linear(addonCoef[k][:], tn, fiber, sen)+u)
		}
		movies := c.addon[addonMovies]
		switch {
		case c.age <= 30:
			c.music = movies || r.Float64() < pMusic[0]
		case c.senior:
			c.music = movies && r.Float64() < pMusic[1]
		default:
			c.music = movies
		}
		c.unlimited = r.Float64() < pUnlimited
	}

	var eta [3]float64
	for k := range 3 {
		eta[k] = linear(contractCoef[k][:], tn, tn*tn, b2f(c.married), b2f(c.refs >= 2),
			fiber, b2f(!c.internet))
	}
	c.contract = softmaxPick(r, eta)
	c.paperless = r.Float64() < pPaperless[2*c.itype+int(sen)]
	c.payment = t.payment[4*c.contract+c.itype].pick(r)

	c.money(r)

	x := churnCoef[:]
	eta1 := linear(x, math.Log(float64(c.tenure)), tn,
		b2f(c.contract == contractOneYear), b2f(c.contract == contractTwoYear),
		fiber, b2f(c.itype == itDSL), b2f(c.itype == itCable),
		b2f(c.addon[addonSecurity]), b2f(c.addon[addonTech]),
		b2f(c.payment == 1), b2f(c.payment == 2), b2f(c.paperless),
		b2f(c.married), b2f(c.deps > 0), sen,
		b2f(c.refs == 1), b2f(c.refs >= 2), b2f(c.offer == 5),
		b2f(c.addon[addonTV]), b2f(c.multiLines))
	switch {
	case r.Float64() < logistic(eta1+churnShift):
		c.status = statusChurned
		c.reason = t.reasons[c.services].pick(r)
	case c.tenure <= 3:
		c.status = statusJoined
	default:
		c.status = statusStayed
	}
}

// churnShift is added to the fitted churn logit (churnCoef). The generated
// covariates are not jointly distributed exactly like the real ones, so the
// fitted model alone gives a churn share about 1 point low; this shift was
// calibrated on 2,000,000 generated rows (seed 7) to give the real share
// 1869/7043 = 0.2654 (measured 0.2653).
const churnShift = 0.100

// addonSigma is the sd of the customer effect shared by the six add-on
// logits; addonScale = sqrt(1 + π·addonSigma²/8) turns the fitted
// population-averaged coefficients into conditional ones (the logistic-normal
// approximation), so the add-on shares stay those of the real file.
const (
	addonSigma = 0.7
	addonScale = 1.0920 // sqrt(1 + π·0.49/8)
)

// softmaxPick draws a class with probabilities softmax(eta).
func softmaxPick(r *rand.Rand, eta [3]float64) int {
	m := max(eta[0], eta[1], eta[2])
	var p [3]float64
	var s float64
	for k := range 3 {
		p[k] = math.Exp(eta[k] - m)
		s += p[k]
	}
	u := r.Float64() * s
	for k := range 2 {
		if u < p[k] {
			return k
		}
		u -= p[k]
	}
	return 2
}

// money draws the charges, refunds and extra data charges and derives the
// totals, all in integer cents so that the revenue identity is exact.
func (c *customer) money(r *rand.Rand) {
	price := 0.0
	noise := chargeNoise[c.services]
	if c.phone {
		price += chargeCoef[0]
		if c.multiLines {
			price += chargeCoef[1]
		}
	}
	if c.internet {
		price += chargeCoef[2+c.itype]
		for k := range nAddons {
			if c.addon[k] {
				price += chargeCoef[5+k]
			}
		}
	}
	price += noise * r.NormFloat64()
	mc := 5 * int64(math.Round(price*20)) // multiple of 5 cents
	mc = max(mc, 1500)
	tc := mc
	if c.tenure > 1 {
		f := 1 + tcNoise/math.Sqrt(float64(c.tenure))*r.NormFloat64()
		f = min(max(f, 0.65), 1.6)
		tc = int64(math.Round(float64(mc) * float64(c.tenure) * f))
	}
	c.charge = mc
	if r.Float64() < pNegCharge {
		c.charge = -100 * (1 + r.Int64N(10))
	}
	c.total = tc

	pr := pRefund[min(c.tenure, 5)-1]
	if r.Float64() < pr {
		hi := min(int64(4999), int64(refundMaxFrac*float64(tc)))
		lo := min(int64(101), hi)
		if hi > 0 {
			c.refund = lo + r.Int64N(hi-lo+1)
		}
	}
	if c.internet && !c.unlimited && r.Float64() >= pNoExtra {
		// Mostly $10 for new customers, spreading up to $150 with tenure.
		k := int64(1)
		if r.Float64() >= 0.6*math.Exp(-float64(c.tenure)/12) {
			kmax := min(15, 6+c.tenure/2)
			k = 1 + r.Int64N(int64(kmax))
		}
		c.extra = 1000 * k
	}
	c.ldT = c.ldAvg * int64(c.tenure)
	c.revenue = c.total - c.refund + c.extra + c.ldT
}
