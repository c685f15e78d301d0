package main

import "runtime/debug"

// crashOnFatal makes a fatal error of the Go runtime — "fatal error: out of
// memory", a concurrent map write, an unrecovered panic outside a stage —
// end the process with SIGABRT (after the usual traceback on stderr)
// instead of exit status 2, which is the documented code of a config
// error: a scheduler then sees "killed by signal 6" (134 in a shell), a
// crash, never "someone changed the config". A stage's panic is recovered
// before this point and is an ordinary run error (exit 1). Core dumps
// follow the usual ulimit -c.
func crashOnFatal() { debug.SetTraceback("crash") }
