//! Browser cases: dashboard pages (filled in with the pages).
