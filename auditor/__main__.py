from auditor.cli.entry import main

main()
