from liftspec.cli.main import main

main()
