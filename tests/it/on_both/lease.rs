//! The sending lease: one holder at a time, taken over once it expires.

use chrono::{DateTime, Duration, Utc};
use hanchot::store::Store;

use crate::support::postgres::databases;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

#[tokio::test]
async fn one_process_holds_the_lease_until_it_lapses_or_is_given_up() {
    for url in databases("lease_one_holder").await {
        let store = Store::open(&url).await.unwrap();
        let now = at("2026-12-02T08:00:00Z");
        let ten = Duration::seconds(10);
        assert!(store.take_lease("a", now, now + ten).await.unwrap(), "{url}: a free lease is taken");
        assert!(!store.take_lease("b", now + Duration::seconds(5), now + ten * 2).await.unwrap(), "{url}: held");
        assert!(store.take_lease("a", now + Duration::seconds(5), now + ten * 2).await.unwrap(), "{url}: renewed");
        assert!(!store.take_lease("b", now + ten, now + ten * 2).await.unwrap(), "{url}: the renewal counts");
        assert!(
            store.take_lease("b", now + ten * 2, now + ten * 3).await.unwrap(),
            "{url}: a lapsed lease is taken over"
        );
        store.release_lease("b").await.unwrap();
        assert!(store.take_lease("a", now + ten * 2, now + ten * 3).await.unwrap(), "{url}: a lease given up is free");
    }
}
