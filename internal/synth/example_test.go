package synth_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"log"
	"os"

	"github.com/churnlab/segment/internal/synth"
)

func ExampleEngagement() {
	if err := synth.Engagement(os.Stdout, 3, 42); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Customer ID,Purchase Frequency,Session Duration,Email Open Rate,Mobile App Usage,Support Tickets,Social Media Engagement,Product Reviews,Loyalty Points
	// 0979-YFEJG,7,5.44,0.507,15.6,3,40,1,573
	// 4808-FIJVG,18,13.05,0.237,26.9,0,21,0,1323
	// 9706-OWCGP,12,10.02,0.236,15.7,0,12,0,1352
}

func ExampleChurn() {
	var buf bytes.Buffer
	if err := synth.Churn(&buf, 3, 42); err != nil {
		log.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(recs[0]), "columns:", recs[0][0], "...", recs[0][37])
	// Columns 0, 10, 26, 29, 34, 35, 37: ID, tenure, contract, monthly
	// charge, total revenue, status and churn reason.
	for _, r := range recs[1:] {
		fmt.Printf("%s %2s %-14s %6s %8s %-7s %q\n", r[0], r[10], r[26], r[29], r[34], r[35], r[37])
	}
	// Output:
	// 38 columns: Customer ID ... Churn Reason
	// 2935-FOFHA  7 Month-to-Month  70.55   806.63 Churned "Competitor had better devices"
	// 4399-GPXJO 12 Two Year        89.75  1475.68 Stayed  ""
	// 9544-FFHPO 68 One Year        19.35  2193.02 Stayed  ""
}
