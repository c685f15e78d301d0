package cluster

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/streamstat"
)

// A streamed run's customer transitions come from a hash join on disk:
// the previous run's assignments.csv and this run's (both id, segment ID)
// are read in batches, every line with an id goes to one of a fixed
// number of temporary partitions by a hash of the id (the same id to the
// same partition on both sides), and each partition is then joined in
// memory. The result is transitions' (the in-memory join), count for
// count: the same matrix, shared, left and arrived customers, adjusted
// Rand index (from the matrix, metrics.AdjustedRandTable) and notes —
// including which repeated id is named, since each record keeps its line
// number and the earliest repetition wins, as in a read in file order.

// joinPartBytes is the most record bytes (both sides together) a
// partition is planned to hold, and joinChunk the write buffer of each.
const (
	joinPartBytes = 64 << 20
	joinChunk     = 64 << 10
	joinMaxParts  = 1024
)

// joinParts is the number of partitions for assignment files of the given
// sizes in bytes.
func joinParts(sizes ...int64) int {
	var total int64
	for _, s := range sizes {
		total += s
	}
	return int(min(max(1, (total+joinPartBytes-1)/joinPartBytes), joinMaxParts))
}

// hashJoin holds both sides' partitions.
type hashJoin struct {
	prev, cur *streamstat.Partitions
	prevSegs  map[int]bool // segment IDs of the previous lines with an id
	rec       []byte
}

func newHashJoin(dir string, parts int) (*hashJoin, error) {
	prev, err := streamstat.NewPartitions(dir, parts, joinChunk)
	if err != nil {
		return nil, err
	}
	cur, err := streamstat.NewPartitions(dir, parts, joinChunk)
	if err != nil {
		prev.Close()
		return nil, err
	}
	return &hashJoin{prev: prev, cur: cur, prevSegs: map[int]bool{}}, nil
}

func (j *hashJoin) close() {
	j.prev.Close()
	j.cur.Close()
}

// add puts a batch of one side's lines (ids, segment IDs, the line number
// of the first) into its partitions, skipping lines without an id.
func (j *hashJoin) add(p *streamstat.Partitions, id *frame.Column, seg []int64, first int64, segs map[int]bool) error {
	for i, s := range seg {
		key := id.Str(i)
		if key == "" {
			continue
		}
		if segs != nil {
			segs[int(s)] = true
		}
		j.rec = binary.AppendUvarint(j.rec[:0], uint64(len(key)))
		j.rec = append(j.rec, key...)
		j.rec = binary.AppendUvarint(j.rec, uint64(first+int64(i)))
		j.rec = binary.AppendVarint(j.rec, s)
		if err := p.Add(int(fnv64(key)%uint64(p.Len())), j.rec); err != nil {
			return err
		}
	}
	return nil
}

// fnv64 is the 64-bit FNV-1a hash of s.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// joinRecord is one line in a partition.
type joinRecord struct {
	id  string
	row int64
	seg int
}

// records decodes a partition's records, in the order added.
func records(b []byte, fn func(joinRecord)) error {
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return fmt.Errorf("temporary partitions: a damaged record")
		}
		r := joinRecord{id: string(b[k : k+int(n)])}
		b = b[k+int(n):]
		row, k := binary.Uvarint(b)
		if k <= 0 {
			return fmt.Errorf("temporary partitions: a damaged record")
		}
		b = b[k:]
		seg, k := binary.Varint(b)
		if k <= 0 {
			return fmt.Errorf("temporary partitions: a damaged record")
		}
		b = b[k:]
		r.row, r.seg = int64(row), int(seg)
		fn(r)
	}
	return nil
}

// repeat is the earliest line whose id an earlier line of the same side
// already had.
type repeat struct {
	row int64
	id  string
}

func (r *repeat) note(row int64, id string) {
	if r.id == "" || row < r.row {
		r.row, r.id = row, id
	}
}

// transitions joins the partitions: customers present in both runs
// counted by previous and new segment ID (newIDs: this run's IDs). It
// returns a note instead, as transitions does, when ids repeat or no
// customer is shared.
func (j *hashJoin) transitions(ctx context.Context, newIDs []int) (*result.Transitions, string, error) {
	prevIDs := sortedSet(j.prevSegs)
	newIDs = slices.Sorted(slices.Values(newIDs))
	rowOf, colOf := indexOf(prevIDs), indexOf(newIDs)
	counts := make([][]int, len(prevIDs))
	for r := range counts {
		counts[r] = make([]int, len(newIDs))
	}
	var prevDup, curDup repeat
	var distinctPrev, shared, newOnly int
	for i := range j.prev.Len() {
		if err := ctx.Err(); err != nil {
			return nil, "", err
		}
		pb, err := j.prev.Read(i)
		if err != nil {
			return nil, "", err
		}
		before := map[string]int{}
		if err := records(pb, func(r joinRecord) {
			if _, dup := before[r.id]; dup {
				prevDup.note(r.row, r.id)
				return
			}
			before[r.id] = r.seg
		}); err != nil {
			return nil, "", err
		}
		pb = nil
		distinctPrev += len(before)
		cb, err := j.cur.Read(i)
		if err != nil {
			return nil, "", err
		}
		seen := make(map[string]bool, len(before))
		var bad error
		if err := records(cb, func(r joinRecord) {
			if seen[r.id] {
				curDup.note(r.row, r.id)
				return
			}
			seen[r.id] = true
			p, ok := before[r.id]
			if !ok {
				newOnly++
				return
			}
			c, ok := colOf[r.seg]
			if !ok {
				bad = fmt.Errorf("assignments: segment %d of customer %q is not one of this run's segments %v", r.seg, r.id, newIDs)
				return
			}
			counts[rowOf[p]][c]++
			shared++
		}); err != nil {
			return nil, "", err
		}
		if bad != nil {
			return nil, "", bad
		}
	}
	switch {
	case prevDup.id != "":
		return nil, fmt.Sprintf("customer id %q appears twice in the previous assignments: no transition matrix", prevDup.id), nil
	case curDup.id != "":
		return nil, fmt.Sprintf("customer id %q appears twice in this run: no transition matrix", curDup.id), nil
	case shared == 0:
		return nil, "no customer id of this run appears in the previous run: no transition matrix", nil
	}
	t := &result.Transitions{
		PrevIDs: prevIDs, IDs: newIDs, Counts: counts,
		Shared: shared, PrevOnly: distinctPrev - shared, NewOnly: newOnly,
		ARI: math.NaN(),
	}
	for r, p := range prevIDs {
		if c, ok := colOf[p]; ok {
			t.Stayed += counts[r][c]
		}
	}
	if shared >= 2 {
		t.ARI = metrics.AdjustedRandTable(counts)
	}
	return t, "", nil
}

// streamPreviousDrift is previousSizes and addTransitions for a streamed
// run: the previous run's assignments are read once in batches, counted
// per segment ID and, when both runs have ids, joined with this run's
// assignments (in.stream.assignments) on disk. Neither file is held
// whole.
func streamPreviousDrift(ctx context.Context, in driftInput, dr *result.Drift) (map[int]int, error) {
	prev, sd := in.prev, in.stream
	sizes := map[int]int{}
	if prev.assignments == "" {
		modelSizes(prev, sizes, dr)
		return sizes, nil
	}
	var join *hashJoin
	switch {
	case sd.idColumn == "":
		dr.Notes = append(dr.Notes, "input.id is not set: customers cannot be followed from run to run, so there is no transition matrix, adjusted Rand index or split detection")
	case prev.model.Input.IDColumn == "":
		dr.Notes = append(dr.Notes, "the previous run had no id column (its assignments are numbered rows): there is no transition matrix, adjusted Rand index or split detection")
	default:
		var err error
		if join, err = newHashJoin(sd.tempDir, joinParts(fileSize(prev.assignments), fileSize(sd.assignments))); err != nil {
			return nil, err
		}
		defer join.close()
	}
	err := scanAssignments(ctx, prev.assignments, "previous assignments", func(id *frame.Column, seg []int64, first int64) error {
		for _, v := range seg {
			sizes[int(v)]++
		}
		if join == nil {
			return nil
		}
		return join.add(join.prev, id, seg, first, join.prevSegs)
	})
	if err != nil || join == nil {
		return sizes, err
	}
	err = scanAssignments(ctx, sd.assignments, "this run's assignments", func(id *frame.Column, seg []int64, first int64) error {
		return join.add(join.cur, id, seg, first, nil)
	})
	if err != nil {
		return nil, err
	}
	tr, note, err := join.transitions(ctx, in.res.IDs)
	if err != nil {
		return nil, err
	}
	if note != "" {
		dr.Notes = append(dr.Notes, note)
	}
	dr.Transitions = tr
	if tr != nil {
		dr.Splits, dr.Merges = splitsAndMerges(tr, in.splitShare)
	}
	return sizes, nil
}

// fileSize is the size of a file in bytes (0 when it cannot be read).
func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
