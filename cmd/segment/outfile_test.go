package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestPredictRefusesInputAsOutput: an output (-o, or the rejects file with
// --skip-invalid) that is, or links to, the input or the model is refused
// before anything is read or written, and the input and model are left
// byte for byte as they were.
func TestPredictRefusesInputAsOutput(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3}")
	model := filepath.Join(runDir, "model.json")
	in := filepath.Join(dir, "train.csv")
	modelBytes, inBytes := read(t, model), read(t, in)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	must(t, os.Symlink(in, filepath.Join(dir, "link-to-input.csv")))
	must(t, os.Symlink(model, filepath.Join(dir, "link-to-model.json")))
	must(t, os.Link(in, filepath.Join(dir, "hardlink.csv")))
	must(t, os.Symlink(dir, filepath.Join(dir, "dirlink")))
	// an input that is itself the rejects file of the output
	rejIn := write(t, filepath.Join(dir, "scored.rejects.csv"), inBytes)
	must(t, os.Symlink(model, filepath.Join(dir, "mlink.rejects.csv")))

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"-o is -i", []string{"-i", in, "-o", in}, "predict: -o " + in + " is the input (-i " + in + ")"},
		{"-o is -m", []string{"-i", in, "-o", model}, "predict: -o " + model + " is the model (-m " + model + ")"},
		{"-o by another path", []string{"-i", in, "-o", filepath.Join(sub, "..", "train.csv")}, "is the input"},
		{"-o through a folder link", []string{"-i", in, "-o", filepath.Join(dir, "dirlink", "train.csv")}, "is the input"},
		{"-o links to -i", []string{"-i", in, "-o", filepath.Join(dir, "link-to-input.csv")}, "is the input"},
		{"-o links to -m", []string{"-i", in, "-o", filepath.Join(dir, "link-to-model.json")}, "is the model"},
		{"-o is a hard link of -i", []string{"-i", in, "-o", filepath.Join(dir, "hardlink.csv")}, "is the input"},
		{"rejects is -i", []string{"-i", rejIn, "-o", filepath.Join(dir, "scored.csv"), "--skip-invalid"}, "predict: the rejects file " + rejIn + " is the input"},
		{"rejects links to -m", []string{"-i", in, "-o", filepath.Join(dir, "mlink.csv"), "--skip-invalid"}, "the rejects file " + filepath.Join(dir, "mlink.rejects.csv") + " is the model"},
		// An input that does not exist yet is the output's path all the same.
		{"same missing path", []string{"-i", filepath.Join(dir, "new.csv"), "-o", filepath.Join(sub, "..", "new.csv")}, "is the input"},
	} {
		code, _, stderr := seg(t, append([]string{"predict", "-m", model}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d\n%s\nwant %q", tc.name, code, stderr, tc.want)
		}
		if read(t, model) != modelBytes || read(t, in) != inBytes || read(t, rejIn) != inBytes {
			t.Fatalf("%s: an input was changed", tc.name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "new.csv")); err == nil {
		t.Error("a file was created at the missing input's path")
	}
	// Without --skip-invalid no rejects file is written, so its name does
	// not matter.
	if code, _, stderr := seg(t, "predict", "-m", model, "-i", rejIn, "-o", filepath.Join(dir, "scored.csv")); code != 0 {
		t.Errorf("rejects path unused: exit %d %s", code, stderr)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestPredictOutputModes: a new output gets 0666 less the umask; a replaced
// one keeps its mode (0600 stays 0600) and is replaced, not rewritten in
// place; a symlinked output keeps its link.
func TestPredictOutputModes(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3}")
	model := filepath.Join(runDir, "model.json")
	in := filepath.Join(dir, "train.csv")

	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	fresh := filepath.Join(dir, "fresh.csv")
	if code, _, stderr := seg(t, "predict", "-m", model, "-i", in, "-o", fresh, "--skip-invalid"); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	for _, p := range []string{fresh, filepath.Join(dir, "fresh.rejects.csv")} {
		if m := mode(t, p); m != 0o640 {
			t.Errorf("%s: mode %o under umask 027, want 640", filepath.Base(p), m)
		}
	}
	private := write(t, filepath.Join(dir, "private.csv"), "old contents\n")
	must(t, os.Chmod(private, 0o600))
	keep, err := os.Open(private) // the old file stays readable through an open handle
	must(t, err)
	defer keep.Close()
	if code, _, stderr := seg(t, "predict", "-m", model, "-i", in, "-o", private); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if m := mode(t, private); m != 0o600 {
		t.Errorf("replaced output: mode %o, want 600", m)
	}
	if b, _ := io.ReadAll(keep); string(b) != "old contents\n" {
		t.Errorf("the old file was rewritten in place: %q", b)
	}
	if !strings.HasPrefix(read(t, private), "cid,segment,") {
		t.Error("the output was not replaced")
	}
	target := write(t, filepath.Join(dir, "target.csv"), "x\n")
	link := filepath.Join(dir, "link.csv")
	must(t, os.Symlink(target, link))
	if code, _, stderr := seg(t, "predict", "-m", model, "-i", in, "-o", link); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 || !strings.HasPrefix(read(t, target), "cid,segment,") {
		t.Errorf("symlinked output: link kept %v, target %q", err == nil && fi.Mode()&fs.ModeSymlink != 0, read(t, target))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestWriteAtomicFailure: a write that fails half-way leaves the existing
// file as it was and no temporary file; a folder is not replaced.
func TestWriteAtomicFailure(t *testing.T) {
	dir := t.TempDir()
	path := write(t, filepath.Join(dir, "out.csv"), "precious\n")
	boom := errors.New("disk full")
	err := writeAtomic(path, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("partial,", 100000))
		return boom
	})
	if !errors.Is(err, boom) || read(t, path) != "precious\n" {
		t.Errorf("err %v, file %q", err, read(t, path))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	if err := writeAtomic(dir, func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "is not a regular file") {
		t.Errorf("folder as output: %v", err)
	}
}
