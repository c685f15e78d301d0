package pgio_test

import (
	"fmt"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgio"
)

func ExampleRedactDSN() {
	fmt.Println(pgio.RedactDSN("postgres://ann:s3cret@db.example:5432/crm?sslmode=require"))
	fmt.Println(pgio.RedactDSN("host=/run/postgresql dbname=crm user=ann password='s 3cret'"))
	// Output:
	// postgres://ann:xxxxx@db.example:5432/crm?sslmode=require
	// host=/run/postgresql dbname=crm user=ann password=xxxxx
}

func ExampleParseTableName() {
	for _, s := range []string{"customers", "sales.Customers 2024", `"odd.schema"."a ""b"""`} {
		ref, err := pgio.ParseTableName(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("schema %q name %q → %s\n", ref.Schema, ref.Name, ref.Quoted())
	}
	// Output:
	// schema "" name "customers" → "customers"
	// schema "sales" name "Customers 2024" → "sales"."Customers 2024"
	// schema "odd.schema" name "a \"b\"" → "odd.schema"."a ""b"""
}

func ExampleHashTable() {
	t, _ := frame.New(
		frame.NewInt("id", []int64{1, 2}, nil),
		frame.NewString("segment", []string{"loyal", "new"}, nil),
	)
	ordered, set := pgio.HashTable(t)
	swapped, setSwapped := pgio.HashTable(t.Take([]int{1, 0}))
	fmt.Println(ordered == swapped, set == setSwapped)
	// Output:
	// false true
}
