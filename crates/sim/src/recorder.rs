//! Keeps every request received, so tests can assert on the bytes a client sent.

use std::sync::Mutex;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// Path with query string.
    pub path: String,
    /// Header names in lowercase, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Default)]
pub struct Recorder {
    requests: Mutex<Vec<RecordedRequest>>,
}

impl Recorder {
    pub fn record(&self, r: RecordedRequest) {
        if let Ok(mut v) = self.requests.lock() {
            v.push(r);
        }
    }

    pub fn all(&self) -> Vec<RecordedRequest> {
        self.requests.lock().map(|v| v.clone()).unwrap_or_default()
    }

    pub fn clear(&self) {
        if let Ok(mut v) = self.requests.lock() {
            v.clear();
        }
    }
}
