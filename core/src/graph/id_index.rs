//! The id index: every service id packed into one string, with a hash
//! index from id to position.

use std::hash::{BuildHasher, Hasher};

/// All ids packed into one string, with an open-addressing hash index over
/// them. Hashing uses foldhash with a per-process seed: fast, resistant to
/// crafted collisions, and invisible in results (nothing iterates the table).
///
/// Resolving 500,000 dependency names is bound by cache misses, not by
/// hashing, so the index is laid out for few of them: a slot holds 32 bits
/// of the hash and the offset of a record `[len: u32][index: u32][bytes]`, so
/// a lookup touches one slot (linear probing, load at most 1/2) and one
/// record. `text` and `ends` keep the ids contiguous for index → id.
#[derive(Debug, Clone)]
pub(super) struct IdArena {
    text: String,
    /// `ends[i]` is where id `i` ends in `text`; it starts where `i - 1` ends.
    ends: Vec<u32>,
    /// `tag << 32 | (record offset + 1)`; 0 is an empty slot.
    slots: Vec<u64>,
    records: Vec<u8>,
    hasher: hashbrown::DefaultHashBuilder,
}

/// Bytes of a record's header: length, then index.
const RECORD_HEADER: usize = 8;

/// Lookups whose memory accesses are issued together.
pub(super) const BATCH: usize = 32;

impl IdArena {
    /// An arena for `n` ids (`n < u32::MAX`).
    pub(super) fn with_capacity(n: usize) -> Self {
        // At most half full: short probe sequences, and never full.
        let slots = n.saturating_mul(2).max(16).next_power_of_two();
        IdArena {
            text: String::with_capacity(n.saturating_mul(8)),
            ends: Vec::with_capacity(n),
            slots: vec![0; slots],
            records: Vec::with_capacity(n.saturating_mul(RECORD_HEADER + 8)),
            hasher: hashbrown::DefaultHashBuilder::default(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub(super) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(prev) => *self.ends.get(prev)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    pub(super) fn at(&self, i: u32) -> &str {
        self.get(i as usize).unwrap_or("")
    }

    /// The slot holding `id`, or the empty slot where it belongs, with the
    /// slot's value and, if found, the id's index.
    fn probe(&self, id: &str, hash: u64) -> (usize, u64, Option<u32>) {
        let mask = self.slots.len().wrapping_sub(1);
        let tag = hash >> 32;
        let mut pos = hash as usize & mask;
        loop {
            let Some(&slot) = self.slots.get(pos) else {
                // Unreachable: `pos` is masked and the table is never full.
                return (pos, tag, None);
            };
            if slot == 0 {
                return (pos, tag, None);
            }
            if slot >> 32 == tag {
                let offset = (slot as u32).wrapping_sub(1) as usize;
                if let Some(index) = self.record_matches(offset, id.as_bytes()) {
                    return (pos, tag, Some(index));
                }
            }
            pos = (pos + 1) & mask;
        }
    }

    /// The index stored in the record at `offset` if its bytes are `id`.
    fn record_matches(&self, offset: usize, id: &[u8]) -> Option<u32> {
        let header = self.records.get(offset..offset + RECORD_HEADER)?;
        let (len, index) = header.split_at(4);
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        if len != id.len() {
            return None;
        }
        let start = offset + RECORD_HEADER;
        if !bytes_eq(self.records.get(start..start + len)?, id) {
            return None;
        }
        Some(u32::from_le_bytes(index.try_into().ok()?))
    }

    /// The id's bytes alone through foldhash (`str`'s `Hash` would add a
    /// terminator byte: a second mixing round for nothing, as the table only
    /// ever holds `str`s).
    pub(super) fn hash(&self, id: &str) -> u64 {
        let mut hasher = self.hasher.build_hasher();
        hasher.write(id.as_bytes());
        hasher.finish()
    }

    /// Loads the first slot and record that looking up these hashes will
    /// touch, all at once: the loads are independent, so the processor
    /// overlaps their cache misses instead of waiting for each in turn.
    pub(super) fn prefetch(&self, hashes: &[u64]) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slots = [0u64; BATCH];
        for (slot, &hash) in slots.iter_mut().zip(hashes) {
            *slot = self.slots.get(hash as usize & mask).copied().unwrap_or(0);
        }
        let mut sink = 0u8;
        for &slot in slots.iter().take(hashes.len()) {
            let offset = (slot as u32).wrapping_sub(1) as usize;
            sink ^= self.records.get(offset).copied().unwrap_or(0);
        }
        std::hint::black_box(sink);
    }

    /// Appends an id (whose [`IdArena::hash`] is `hash`). Fails with the
    /// index already holding it, or with `None` if the ids no longer fit
    /// 32-bit offsets.
    pub(super) fn push(&mut self, id: &str, hash: u64) -> std::result::Result<(), Option<u32>> {
        let (pos, tag, found) = self.probe(id, hash);
        if found.is_some() {
            return Err(found);
        }
        let limit = u32::MAX as usize - RECORD_HEADER;
        if self.records.len() + id.len() >= limit || self.text.len() + id.len() >= limit {
            return Err(None);
        }
        let index = self.ends.len() as u32;
        let offset = self.records.len();
        self.records
            .extend_from_slice(&(id.len() as u32).to_le_bytes());
        self.records.extend_from_slice(&index.to_le_bytes());
        self.records.extend_from_slice(id.as_bytes());
        if let Some(slot) = self.slots.get_mut(pos) {
            *slot = tag << 32 | (offset as u64 + 1);
        }
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
        Ok(())
    }

    pub(super) fn find(&self, id: &str) -> Option<u32> {
        self.probe(id, self.hash(id)).2
    }

    /// The index of every id, in order (`u32::MAX` where unknown), looked
    /// up [`BATCH`] at a time.
    pub(super) fn find_all<'a>(
        &self,
        ids: impl Iterator<Item = &'a str>,
        capacity: usize,
    ) -> Vec<u32> {
        let mut out = Vec::with_capacity(capacity);
        let mut ids = ids;
        // Software pipeline: the strings of the next batch are loaded while
        // the current batch is hashed and looked up.
        let mut next: Vec<&str> = Vec::with_capacity(BATCH);
        next.extend(ids.by_ref().take(BATCH));
        touch(next.iter().copied());
        let mut batch: Vec<&str> = Vec::with_capacity(BATCH);
        let mut hashes = [0u64; BATCH];
        while !next.is_empty() {
            std::mem::swap(&mut batch, &mut next);
            next.clear();
            next.extend(ids.by_ref().take(BATCH));
            touch(next.iter().copied());
            for (h, id) in hashes.iter_mut().zip(&batch) {
                *h = self.hash(id);
            }
            let hashes = hashes.get(..batch.len()).unwrap_or(&[]);
            self.prefetch(hashes);
            out.extend(
                batch
                    .iter()
                    .zip(hashes)
                    .map(|(id, &hash)| self.probe(id, hash).2.unwrap_or(u32::MAX)),
            );
        }
        out
    }
}

/// `a == b`, without a call to `memcmp` for short ids (the common case).
fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 32 {
        return a == b;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Loads the first byte of each string, all at once (see
/// [`IdArena::prefetch`]): the strings of a plan are separate allocations,
/// scattered over the heap.
pub(super) fn touch<'a>(ids: impl Iterator<Item = &'a str>) {
    let sink = ids.fold(0u8, |acc, id| {
        acc ^ id.as_bytes().first().copied().unwrap_or(0)
    });
    std::hint::black_box(sink);
}
