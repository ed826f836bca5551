//! End-to-end tests: the real bot against the fake Telegram server, plus the command
//! line and the locale files. One test binary, so that it links once.

mod amounts;
mod attack;
mod checkins;
mod cli;
mod crash;
mod crash_points;
mod fake_server;
mod harness;
mod hostile;
mod joining;
mod loans;
mod locales;
mod migrations;
mod people;
mod resilience;
mod safety;
mod sales;
mod warnings;
