//! Browser cases: filing pages (filled in with the pages).
