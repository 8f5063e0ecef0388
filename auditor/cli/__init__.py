"""The `auditor` command. `entry` answers `--version` before anything is imported; `app` is the
command line proper; `starter` writes `auditor init`'s config, `baseline` keeps adopted findings,
`progress` draws the bar of long runs.

Nothing is imported here, so that `auditor --version` stays instant."""
