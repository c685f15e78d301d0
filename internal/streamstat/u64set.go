package streamstat

// u64set is an open-addressing hash set of uint64 keys (linear probing,
// power-of-two capacity, at most half full): several times faster than a
// Go map for the many small lookups of distinct counting.
type u64set struct {
	slots []uint64 // key+1; 0 marks an empty slot
	n     int
	max   bool // the key MaxUint64 (which key+1 cannot hold) is present
}

func newU64Set(capacity int) *u64set {
	c := 16
	for c < 2*capacity {
		c <<= 1
	}
	return &u64set{slots: make([]uint64, c)}
}

func mix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// add inserts k and reports whether it was new.
func (s *u64set) add(k uint64) bool {
	if k == ^uint64(0) {
		if s.max {
			return false
		}
		s.max = true
		s.n++
		return true
	}
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := mix64(k) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = k + 1
			s.n++
			return true
		case k + 1:
			return false
		}
	}
}

func (s *u64set) grow() {
	old := s.slots
	s.slots = make([]uint64, 2*len(old))
	mask := uint64(len(s.slots) - 1)
	for _, v := range old {
		if v == 0 {
			continue
		}
		for i := mix64(v-1) & mask; ; i = (i + 1) & mask {
			if s.slots[i] == 0 {
				s.slots[i] = v
				break
			}
		}
	}
}

// each calls f for every key.
func (s *u64set) each(f func(uint64)) {
	for _, v := range s.slots {
		if v != 0 {
			f(v - 1)
		}
	}
	if s.max {
		f(^uint64(0))
	}
}

func (s *u64set) reset() {
	clear(s.slots)
	s.n, s.max = 0, false
}
