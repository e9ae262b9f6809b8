import SpotlogCLI

runAndExit()
