# Shortcuts; the scripts do the work (and install what is missing).
.PHONY: run test bench setup weights clean
run:
	bash scripts/studio.sh
test:
	bash scripts/test.sh
bench:
	bash scripts/bench.sh
setup:
	bash scripts/setup.sh
weights:
	python3 scripts/fetch-weights.py
clean:
	swift package clean
