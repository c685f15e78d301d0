// Package spill keeps a streamed table on disk between the passes of
// segment's bounded-memory mode (execution mode stream): a temporary,
// column-oriented file of batches that later passes read back batch by
// batch, only the columns they need, much faster than parsing the input
// again (a CSV is parsed once; a pass over the spill decodes compact
// binary columns).
//
// A File is written once, in order, by Append, then read any number of
// times, concurrently, by Read. The file is unlinked as soon as it is
// created, so nothing is left behind when the process ends, however it
// ends; Close releases its space.
//
// Each batch is stored column after column, each column in the most
// compact of a few exact encodings chosen per batch:
//
//   - int: offsets from the batch minimum in 0, 1, 2, 4 or 8 bytes;
//   - float: when every value of the batch is an integer m divided by 10^s
//     for one s in 0…9 (decimal data read from text: prices with 2
//     decimals, coordinates with 6) and m/10^s gives the value back bit for
//     bit, the integers m as above, else the raw 8-byte IEEE values;
//   - bool: one bit per row;
//   - string: the batch's dictionary, then codes in 1, 2 or 4 bytes;
//
// plus a bitmap of the missing rows when there are any. Decoding gives
// back exactly the values and missing cells appended (a float column's
// missing rows hold NaN, an int's 0, a string's code -1; -0.0 and
// non-finite floats are kept by the raw encoding).
//
// The index of batches and column extents stays in memory (about 40 bytes
// per column per batch).
package spill
