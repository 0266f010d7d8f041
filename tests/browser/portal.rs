//! Browser cases: portal pages (filled in with the pages).
