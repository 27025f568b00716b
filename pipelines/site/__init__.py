"""The public emulation scoreboard: static HTML pages built from a published warehouse (`build.build_site`),
and its command `emulation site` (`cli`). Pure Python: no Dagster."""
