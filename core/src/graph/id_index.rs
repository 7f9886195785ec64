//! The id index: every service id packed into one string, with a hash
//! index from id to position — `hashbrown`'s `HashTable`, whose entries
//! point into the string, so each id is stored once.
//!
//! One hand-written part stays: lookups and insertions go in batches of
//! [`BATCH`], whose memory is loaded together first ([`touch`] for the
//! plan's scattered strings, [`IdIndex::warm`] for the table), so that
//! their cache misses overlap. Below a few thousand services everything
//! is in cache and it changes nothing; on large plans it is most of the
//! cost of building the graph. Measured with `graph_timing sweep` (CPU
//! time of `ServiceGraph::new`, four interleaved rounds on the shared
//! 2-core machine, November 2026): 10 to 1,000 services, the previous
//! hand-written open-addressing table, `HashTable` alone and `HashTable`
//! in batches are indistinguishable (e.g. 1,000 services 0.18–0.31 ms for
//! all three); 10,000 services: 3.0–4.6 ms hand-written, 3.9–6.4 ms
//! `HashTable` alone, 3.0–5.1 ms in batches; 100,000 services with
//! 500,000 dependencies: 58–69 ms, 115–169 ms and 64–92 ms.

use std::hash::{BuildHasher, Hasher};

use hashbrown::hash_table::{Entry, HashTable};

/// All ids packed into one string, with a hash index over them. Hashing
/// uses foldhash (hashbrown's default) with a per-process seed: fast,
/// resistant to crafted collisions, and invisible in results (nothing
/// iterates the table).
#[derive(Debug, Clone)]
pub(super) struct IdIndex {
    text: String,
    /// `ends[i]` is where id `i` ends in `text`; it starts where `i - 1` ends.
    ends: Vec<u32>,
    table: HashTable<Slot>,
    hasher: hashbrown::DefaultHashBuilder,
}

/// Where an id lies in the packed string, and its position: a lookup reads
/// the table and the id's bytes, nothing else.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: u32,
    len: u32,
    index: u32,
}

impl IdIndex {
    /// An index for `n` ids (`n < u32::MAX`); it never grows while they are
    /// added.
    pub(super) fn with_capacity(n: usize) -> Self {
        IdIndex {
            text: String::with_capacity(n.saturating_mul(8)),
            ends: Vec::with_capacity(n),
            table: HashTable::with_capacity(n),
            hasher: hashbrown::DefaultHashBuilder::default(),
        }
    }

    /// Number of ids.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no ids.
    pub(super) fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id at position `i`.
    pub(super) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(prev) => *self.ends.get(prev)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// The id at position `i` (empty out of range).
    pub(super) fn at(&self, i: u32) -> &str {
        self.get(i as usize).unwrap_or("")
    }

    /// The id's bytes alone through foldhash (`str`'s `Hash` would add a
    /// terminator byte: a second mixing round for nothing, as the table only
    /// ever holds `str`s).
    pub(super) fn hash(&self, id: &str) -> u64 {
        hash_with(&self.hasher, id)
    }

    /// Appends an id, whose [`IdIndex::hash`] is `hash`. Fails with the
    /// position already holding it, or with `None` if the ids no longer fit
    /// 32-bit offsets (4 GiB in all).
    pub(super) fn push(&mut self, id: &str, hash: u64) -> std::result::Result<(), Option<u32>> {
        let IdIndex {
            text,
            ends,
            table,
            hasher,
        } = self;
        let entry = table.entry(
            hash,
            |slot| slot_str(text, slot) == id,
            |slot| hash_with(hasher, slot_str(text, slot)),
        );
        let vacant = match entry {
            Entry::Occupied(found) => return Err(Some(found.get().index)),
            Entry::Vacant(vacant) => vacant,
        };
        if text.len() + id.len() >= u32::MAX as usize {
            return Err(None);
        }
        let slot = Slot {
            start: text.len() as u32,
            len: id.len() as u32,
            index: ends.len() as u32,
        };
        text.push_str(id);
        ends.push(text.len() as u32);
        vacant.insert(slot);
        Ok(())
    }

    /// The position of `id`.
    pub(super) fn find(&self, id: &str) -> Option<u32> {
        self.find_hashed(id, self.hash(id))
    }

    /// The position of `id`, whose hash is `hash`.
    fn find_hashed(&self, id: &str, hash: u64) -> Option<u32> {
        self.table
            .find(hash, |slot| slot_str(&self.text, slot) == id)
            .map(|slot| slot.index)
    }

    /// Loads what looking up these hashes will touch first — the control
    /// bytes and the entry where each probe starts, then the bytes of the id
    /// that entry points at — all at once: the loads are independent, so the
    /// processor overlaps their cache misses instead of waiting for each in
    /// turn. (`hashbrown` starts probing at `hash & (buckets - 1)`; were that
    /// to change, this would load the wrong lines: slower, never wrong.)
    pub(super) fn warm(&self, hashes: &[u64]) {
        let mask = self.table.num_buckets().wrapping_sub(1);
        let mut starts = [u32::MAX; BATCH];
        for (start, &hash) in starts.iter_mut().zip(hashes) {
            if let Some(slot) = self.table.get_bucket(hash as usize & mask) {
                *start = slot.start;
            }
        }
        let bytes = self.text.as_bytes();
        let sink = starts.iter().fold(0u8, |acc, &s| {
            acc ^ bytes.get(s as usize).copied().unwrap_or(0)
        });
        std::hint::black_box(sink);
    }

    /// The position of every id, in order (`u32::MAX` where unknown).
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
            self.warm(hashes);
            out.extend(
                batch
                    .iter()
                    .zip(hashes)
                    .map(|(id, &hash)| self.find_hashed(id, hash).unwrap_or(u32::MAX)),
            );
        }
        out
    }
}

/// The id a slot points at (empty if it pointed outside the text, which
/// does not happen).
fn slot_str<'a>(text: &'a str, slot: &Slot) -> &'a str {
    let start = slot.start as usize;
    text.get(start..start + slot.len as usize).unwrap_or("")
}

/// See [`IdIndex::hash`].
fn hash_with(hasher: &hashbrown::DefaultHashBuilder, id: &str) -> u64 {
    let mut state = hasher.build_hasher();
    state.write(id.as_bytes());
    state.finish()
}

/// Lookups whose memory accesses are issued together.
pub(super) const BATCH: usize = 32;

/// Loads the first byte of each string, all at once (see
/// [`IdIndex::warm`]): the strings of a plan are separate allocations,
/// scattered over the heap.
pub(super) fn touch<'a>(ids: impl Iterator<Item = &'a str>) {
    let sink = ids.fold(0u8, |acc, id| {
        acc ^ id.as_bytes().first().copied().unwrap_or(0)
    });
    std::hint::black_box(sink);
}
