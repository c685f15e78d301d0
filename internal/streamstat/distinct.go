package streamstat

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// DefaultDistinctLimit is the number of distinct values a Distinct keeps in
// memory before it moves to temporary partitions.
const DefaultDistinctLimit = 1 << 21

// distinctParts is the number of partitions of a Distinct that overflows;
// each is counted in memory on its own.
const distinctParts = 256

// textSeed hashes text values to partitions: the same for every Distinct
// of the process, so that the partitions of several can be counted
// together (CountAll).
var textSeed = maphash.MakeSeed()

// Distinct counts the distinct values of one column exactly: numbers
// (AddFloat, AddInt, AddKeys, by their bits, -0 as 0) or text (AddString),
// not both. Up to Limit values it keeps them in memory; beyond, every value
// is written to temporary partitions (Partitions, in Dir), which the count
// reads back one at a time. The count does not depend on the order values
// were added in, nor on how they were split among several Distincts
// (CountAll).
type Distinct struct {
	Limit int    // 0: DefaultDistinctLimit
	Dir   string // temporary files ("" = os.TempDir())

	nums   *u64set
	texts  map[string]struct{}
	parts  *Partitions
	buf    []byte
	err    error
	isText bool // AddString was used
}

func (d *Distinct) limit() int {
	if d.Limit > 0 {
		return d.Limit
	}
	return DefaultDistinctLimit
}

// AddFloat adds a float value (NaN is ignored).
func (d *Distinct) AddFloat(v float64) {
	if v != v {
		return
	}
	if v == 0 {
		v = 0
	}
	d.addNum(math.Float64bits(v))
}

// AddInt adds an int value.
func (d *Distinct) AddInt(v int64) { d.addNum(uint64(v)) }

// AddKeys adds number keys as KeySet returns them.
func (d *Distinct) AddKeys(keys []uint64) {
	for _, k := range keys {
		d.addNum(k)
	}
}

func (d *Distinct) addNum(k uint64) {
	if d.parts != nil {
		d.spillNum(k)
		return
	}
	if d.nums == nil {
		d.nums = newU64Set(1024)
	}
	if d.nums.add(k) && d.nums.n > d.limit() {
		d.overflow()
	}
}

// AddString adds a text value.
func (d *Distinct) AddString(s string) {
	d.isText = true
	if d.parts != nil {
		d.spillText(s)
		return
	}
	if d.texts == nil {
		d.texts = map[string]struct{}{}
	}
	if _, ok := d.texts[s]; ok {
		return
	}
	d.texts[s] = struct{}{}
	if len(d.texts) > d.limit() {
		d.overflow()
	}
}

// overflow moves the values in memory to temporary partitions.
func (d *Distinct) overflow() {
	if d.parts != nil || d.err != nil {
		return
	}
	d.parts, d.err = NewPartitions(d.Dir, distinctParts, 64<<10)
	if d.err != nil {
		d.parts = nil
		return
	}
	if d.nums != nil {
		d.nums.each(d.spillNum)
		d.nums = nil
	}
	for s := range d.texts {
		d.spillText(s)
	}
	d.texts = nil
}

func (d *Distinct) spillNum(k uint64) {
	d.buf = binary.LittleEndian.AppendUint64(d.buf[:0], k)
	if err := d.parts.Add(int(mix64(k)%distinctParts), d.buf); err != nil && d.err == nil {
		d.err = err
	}
}

func (d *Distinct) spillText(s string) {
	d.buf = binary.AppendUvarint(d.buf[:0], uint64(len(s)))
	d.buf = append(d.buf, s...)
	if err := d.parts.Add(int(maphash.String(textSeed, s)%distinctParts), d.buf); err != nil && d.err == nil {
		d.err = err
	}
}

// Spilled reports whether the values went to temporary partitions.
func (d *Distinct) Spilled() bool { return d.parts != nil }

// Count returns the number of distinct values added.
func (d *Distinct) Count() (int64, error) { return CountAll([]*Distinct{d}) }

// CountAll returns the number of distinct values added to any of ds (of
// one kind: numbers or text): the union's size.
func CountAll(ds []*Distinct) (int64, error) {
	spilled, text := false, false
	for _, d := range ds {
		if d.err != nil {
			return 0, d.err
		}
		spilled = spilled || d.parts != nil
		text = text || d.isText
	}
	if !spilled {
		if len(ds) == 1 {
			if text {
				return int64(len(ds[0].texts)), nil
			}
			if ds[0].nums == nil {
				return 0, nil
			}
			return int64(ds[0].nums.n), nil
		}
		if text {
			all := map[string]struct{}{}
			for _, d := range ds {
				for s := range d.texts {
					all[s] = struct{}{}
				}
			}
			return int64(len(all)), nil
		}
		all := newU64Set(1024)
		for _, d := range ds {
			if d.nums != nil {
				d.nums.each(func(k uint64) { all.add(k) })
			}
		}
		return int64(all.n), nil
	}
	for _, d := range ds {
		d.overflow() // the partitions of all are then counted together
		if d.err != nil {
			return 0, d.err
		}
	}
	// The partitions hold disjoint values: they are counted on every core,
	// each with its own set, and the counts added.
	workers := min(runtime.GOMAXPROCS(0), distinctParts)
	counts := make([]int64, workers)
	errs := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			set := newU64Set(1024)
			texts := map[string]struct{}{}
			for p := int(next.Add(1) - 1); p < distinctParts; p = int(next.Add(1) - 1) {
				set.reset()
				clear(texts)
				for _, d := range ds {
					b, err := d.parts.Read(p)
					if err != nil {
						errs[w] = err
						return
					}
					for len(b) > 0 {
						if text {
							l, n := binary.Uvarint(b)
							texts[string(b[n:n+int(l)])] = struct{}{}
							b = b[n+int(l):]
							continue
						}
						set.add(binary.LittleEndian.Uint64(b))
						b = b[8:]
					}
				}
				counts[w] += int64(set.n + len(texts))
			}
		}()
	}
	wg.Wait()
	var total int64
	for w := range workers {
		if errs[w] != nil {
			return 0, errs[w]
		}
		total += counts[w]
	}
	return total, nil
}

// Close removes the temporary partitions.
func (d *Distinct) Close() error { return d.parts.Close() }

// KeySet finds the distinct values of one batch of numbers, as keys for
// Distinct.AddKeys: a batch's few distinct values are then added to the
// column's Distinct once each. It is reused from batch to batch.
type KeySet struct {
	s    *u64set
	keys []uint64
}

func (k *KeySet) start() {
	if k.s == nil {
		k.s = newU64Set(1024)
	}
	k.s.reset()
	k.keys = k.keys[:0]
}

// Floats returns the distinct keys of x (NaN skipped, -0 as 0), valid
// until the next call.
func (k *KeySet) Floats(x []float64) []uint64 {
	k.start()
	for _, v := range x {
		if v != v {
			continue
		}
		if v == 0 {
			v = 0
		}
		if b := math.Float64bits(v); k.s.add(b) {
			k.keys = append(k.keys, b)
		}
	}
	return k.keys
}

// Ints returns the distinct keys of x, skipping the rows missing marks
// (missing may be nil), valid until the next call.
func (k *KeySet) Ints(x []int64, missing []bool) []uint64 {
	k.start()
	for i, v := range x {
		if missing != nil && missing[i] {
			continue
		}
		if k.s.add(uint64(v)) {
			k.keys = append(k.keys, uint64(v))
		}
	}
	return k.keys
}
