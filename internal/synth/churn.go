package synth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// churnColumns are the 38 column names of Maven Analytics' telecom churn
// table, in file order.
var churnColumns = [...]string{
	"Customer ID", "Gender", "Age", "Married", "Number of Dependents", "City", "Zip Code",
	"Latitude", "Longitude", "Number of Referrals", "Tenure in Months", "Offer",
	"Phone Service", "Avg Monthly Long Distance Charges", "Multiple Lines", "Internet Service",
	"Internet Type", "Avg Monthly GB Download", "Online Security", "Online Backup",
	"Device Protection Plan", "Premium Tech Support", "Streaming TV", "Streaming Movies",
	"Streaming Music", "Unlimited Data", "Contract", "Paperless Billing", "Payment Method",
	"Monthly Charge", "Total Charges", "Total Refunds", "Total Extra Data Charges",
	"Total Long Distance Charges", "Total Revenue", "Customer Status", "Churn Category",
	"Churn Reason",
}

var churnHeader = csvHeader(churnColumns[:])

// ChurnColumns returns the 38 column names written by Churn, in order
// (those of Maven Analytics' telecom churn table). The slice is a fresh copy.
func ChurnColumns() []string { return append([]string(nil), churnColumns[:]...) }

var (
	offerNames    = [...]string{"None", "Offer A", "Offer B", "Offer C", "Offer D", "Offer E"}
	itypeNames    = [...]string{"Fiber Optic", "DSL", "Cable"}
	contractNames = [...]string{"Month-to-Month", "One Year", "Two Year"}
	paymentNames  = [...]string{"Bank Withdrawal", "Credit Card", "Mailed Check"}
	statusNames   = [...]string{"Stayed", "Joined", "Churned"}
)

// bufSize is the size of the bufio.Writer the generators stream through.
const bufSize = 64 << 10

// checkArgs validates the common arguments of the generators.
func checkArgs(w io.Writer, rows int) error {
	if w == nil {
		return errors.New("synth: nil writer")
	}
	if rows < 1 {
		return fmt.Errorf("synth: rows must be at least 1, got %d", rows)
	}
	if uint64(rows) > idSpace {
		return fmt.Errorf("synth: rows must be at most %d (distinct customer IDs), got %d", uint64(idSpace), rows)
	}
	return nil
}

// Churn writes a table in Maven Analytics' telecom churn schema (all 38
// columns, same names, same order) with rows customers to w.
//
// The output is CSV with a header row and LF line ends. Values follow the
// real file: blanks where a service is absent or the customer did not churn,
// money with at most two decimals (trailing zeros dropped, as in "65.6"),
// real California city/zip/coordinate rows. Customer IDs are distinct and
// increasing. The same rows and seed always give the same bytes; the rows
// are drawn from a math/rand/v2 PCG source seeded with seed.
//
// Churn returns an error if w is nil, rows < 1 or rows exceeds the number
// of distinct IDs, or if writing fails.
func Churn(w io.Writer, rows int, seed uint64) error {
	if err := checkArgs(w, rows); err != nil {
		return err
	}
	r := newRand(seed, churnStream)
	ids := idGen{n: uint64(rows)}
	bw := bufio.NewWriterSize(w, bufSize)
	if _, err := bw.WriteString(churnHeader); err != nil {
		return fmt.Errorf("synth: writing churn header: %w", err)
	}
	t := churnTabs
	var c customer
	buf := make([]byte, 0, 512)
	for i := 0; i < rows; i++ {
		buf = ids.next(buf[:0], r)
		c.draw(r, t)
		buf = c.appendCSV(buf, t)
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("synth: writing churn row %d: %w", i+1, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synth: flushing churn table: %w", err)
	}
	return nil
}

// appendCSV appends the 37 fields after Customer ID and the line end.
func (c *customer) appendCSV(b []byte, t *churnTables) []byte {
	b = append(b, ',')
	if c.male {
		b = append(b, "Male"...)
	} else {
		b = append(b, "Female"...)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.age), 10)
	b = append(b, ',')
	b = appendYesNo(b, c.married)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.deps), 10)
	z := &zipTable[c.zip]
	b = append(b, ',')
	b = append(b, t.cityField[c.zip]...)
	b = append(b, ',')
	b = append(b, z.zip...)
	b = append(b, ',')
	b = append(b, z.lat...)
	b = append(b, ',')
	b = append(b, z.lon...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.refs), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(c.tenure), 10)
	b = append(b, ',')
	b = append(b, offerNames[c.offer]...)
	b = append(b, ',')
	b = appendYesNo(b, c.phone)
	b = append(b, ',')
	if c.phone {
		b = appendCents(b, c.ldAvg)
	}
	b = append(b, ',')
	if c.phone {
		b = appendYesNo(b, c.multiLines)
	}
	b = append(b, ',')
	b = appendYesNo(b, c.internet)
	b = append(b, ',')
	if c.internet {
		b = append(b, itypeNames[c.itype]...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(c.gb), 10)
		for k := range nAddons {
			b = append(b, ',')
			b = appendYesNo(b, c.addon[k])
		}
		b = append(b, ',')
		b = appendYesNo(b, c.music)
		b = append(b, ',')
		b = appendYesNo(b, c.unlimited)
	} else {
		b = append(b, ",,,,,,,,,"...) // type, GB and 8 service columns: 10 blanks
	}
	b = append(b, ',')
	b = append(b, contractNames[c.contract]...)
	b = append(b, ',')
	b = appendYesNo(b, c.paperless)
	b = append(b, ',')
	b = append(b, paymentNames[c.payment]...)
	for _, v := range [...]int64{c.charge, c.total, c.refund, c.extra, c.ldT, c.revenue} {
		b = append(b, ',')
		b = appendCents(b, v)
	}
	b = append(b, ',')
	b = append(b, statusNames[c.status]...)
	b = append(b, ',')
	if c.status == statusChurned {
		b = append(b, t.catField[c.reason]...)
		b = append(b, ',')
		b = append(b, t.reasonField[c.reason]...)
	} else {
		b = append(b, ',')
	}
	return append(b, '\n')
}
