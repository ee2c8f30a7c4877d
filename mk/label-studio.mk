# Included by the Makefile: `make label-studio` starts a local Label Studio 1.23.2 for this project
# (own venv .ls-venv, 127.0.0.1, sqlite under annotation/label-studio-data/); see annotation/README.md.
.PHONY: label-studio label-studio-stop

label-studio:
	scripts/label-studio start

label-studio-stop:
	scripts/label-studio stop
