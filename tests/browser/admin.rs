//! Browser cases: admin pages (filled in with the pages).
