package export_test

import (
	"encoding/json"
	"fmt"

	"github.com/churnlab/segment/stages/export"
)

// A DSN in a config never shows its password: not in the effective config
// the manifest records (JSON), not when printed.
func ExampleDSN() {
	cfg := export.Database{DSN: "postgres://ann:s3cret@db.internal/crm?sslmode=require", Table: "segments", Mode: export.ModeAppendRun, Create: true}
	b, _ := json.Marshal(cfg)
	fmt.Println(string(b))
	fmt.Println(cfg.DSN)
	fmt.Printf("%v\n", export.DSN("host=/run/postgresql dbname=crm password='s e c'"))
	// Output:
	// {"dsn":"postgres://ann:xxxxx@db.internal/crm?sslmode=require","table":"segments","mode":"append-run","create":true}
	// postgres://ann:xxxxx@db.internal/crm?sslmode=require
	// host=/run/postgresql dbname=crm password=xxxxx
}
