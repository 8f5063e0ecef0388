"""Where pages come from: finding them on disk (`discovery`), naming a unit of work (`sources`),
turning bytes into text (`loading`) and reading web crawls (`warc`)."""
