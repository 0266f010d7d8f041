//! Browser cases: public pages (filled in with the pages).
