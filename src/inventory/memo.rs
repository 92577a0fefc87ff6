//! A piece of inventory read at most once, whose failure is kept as a value.

use std::fmt;
use std::future::Future;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tokio::sync::OnceCell;

use crate::fetched::Fetched;

/// A memoized piece: the first caller reads it, every later (or concurrent) caller
/// gets the same value. Serializes as the stored outcome, or not at all if never read.
pub struct Memo<T>(OnceCell<Fetched<T>>);

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(OnceCell::new())
    }
}

impl<T> Memo<T> {
    pub fn ready(value: Fetched<T>) -> Self {
        Memo(OnceCell::new_with(Some(value)))
    }

    pub fn is_unset(&self) -> bool {
        !self.0.initialized()
    }

    pub fn get(&self) -> Option<&Fetched<T>> {
        self.0.get()
    }

    /// The stored outcome, leaving the piece unread.
    pub fn take(&mut self) -> Option<Fetched<T>> {
        self.0.take()
    }

    pub async fn get_or_fetch<F, Fut>(&self, fetch: F) -> &Fetched<T>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Fetched<T>>,
    {
        self.0.get_or_init(fetch).await
    }
}

impl<T: Serialize> Serialize for Memo<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.get().serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Memo<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<Fetched<T>>::deserialize(deserializer)? {
            Some(value) => Memo::ready(value),
            None => Memo::default(),
        })
    }
}

impl<T: fmt::Debug> fmt::Debug for Memo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Memo").field(&self.0.get()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetched::FetchError;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_callers_share_one_read() {
        let memo: Memo<u32> = Memo::default();
        let reads = AtomicUsize::new(0);
        let read = || async {
            reads.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Fetched::Ok(7)
        };
        let (a, b) = tokio::join!(memo.get_or_fetch(read), memo.get_or_fetch(read));
        assert_eq!(a, &Fetched::Ok(7));
        assert_eq!(b, &Fetched::Ok(7));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn round_trips_values_errors_and_absence() {
        let ok: Memo<Vec<u8>> = Memo::ready(Fetched::Ok(vec![1]));
        let err: Memo<Vec<u8>> = Memo::ready(Fetched::Error(FetchError::new(
            "s3",
            "ListBuckets",
            None,
            "AccessDenied",
            "no",
        )));
        for memo in [ok, err, Memo::default()] {
            let json = serde_json::to_string(&memo).unwrap();
            let back: Memo<Vec<u8>> = serde_json::from_str(&json).unwrap();
            assert_eq!(back.get(), memo.get());
        }
    }
}
