package pipeline

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// MaxNameLen is the longest job or stage name, in bytes. A job name becomes
// part of a folder name (<UTC time>-<name>[-N], .tmp-…, latest-<name>) and a
// stage name part of file names (<stage>-<file>, with a temporary suffix
// while it is written), so both stay far below the 255 bytes a file name may
// have.
const MaxNameLen = 64

// maxFileNameLen is the longest artifact file name Env accepts: 255 bytes
// less the temporary suffix WriteFileAtomic adds (".…tmp-" and a number).
const maxFileNameLen = 255 - 32

// namePattern is a job or stage name: letters, digits, '.', '_' and '-',
// starting with a letter or a digit (so never "." or ".." and never a
// hidden file).
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// checkName says why s cannot be a job or stage name ("" when it can); what
// names what the name is for, in the message.
func checkName(s, what string) string {
	switch {
	case len(s) > MaxNameLen:
		return fmt.Sprintf("%s of %d characters is too long (at most %d: it names folders and files)", what, len(s), MaxNameLen)
	case !namePattern.MatchString(s):
		return fmt.Sprintf("%q cannot name %s: use letters, digits, '.', '_' and '-', starting with a letter or a digit (at most %d characters)", s, whatFiles(what), MaxNameLen)
	}
	return ""
}

func whatFiles(what string) string {
	if what == "a job name" {
		return "the run folders"
	}
	return "files"
}

// PathEscapeError reports an output file name that is not a plain name
// inside the run folder (it would be written elsewhere).
type PathEscapeError struct {
	Name string // the file name asked for
	Dir  string // the folder it must stay in
	Why  string
}

func (e *PathEscapeError) Error() string {
	return fmt.Sprintf("refusing to write %q: %s (every output stays inside %s)", e.Name, e.Why, e.Dir)
}

// inside returns dir/name when name is one plain file name that stays in
// dir: not empty, no path separator, not "." or "..", not hidden (a leading
// '.' is kept for temporary files), no control characters and short enough
// for a temporary suffix. It is the one check every path a stage writes to
// goes through (Env.Path, Env.WriteFile, output.keep_tables).
func inside(dir, name string) (string, error) {
	why := ""
	switch {
	case name == "":
		why = "the file name is empty"
	case strings.ContainsAny(name, `/\`) || name != filepath.Base(name):
		why = "a file name must not contain a path separator"
	case name == "." || name == "..":
		why = "it names a folder"
	case strings.HasPrefix(name, "."):
		why = "a file name must not start with '.'"
	case len(name) > maxFileNameLen:
		why = fmt.Sprintf("the name is %d bytes long (at most %d)", len(name), maxFileNameLen)
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		why = "the name holds a control character"
	}
	if why != "" {
		return "", &PathEscapeError{Name: name, Dir: dir, Why: why}
	}
	p := filepath.Join(dir, name)
	if rel, err := filepath.Rel(dir, p); err != nil || rel != name || !filepath.IsLocal(rel) {
		return "", &PathEscapeError{Name: name, Dir: dir, Why: "it resolves outside the folder"}
	}
	return p, nil
}
