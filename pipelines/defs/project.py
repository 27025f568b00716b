"""The dbt project as dagster-dbt sees it, and its manifest (parsed ahead, never on import)."""


from dagster_dbt import DbtCliResource, DbtProject

from ..settings import DBT_EXECUTABLE, DBT_PROJECT_DIR, dbt_project_files


def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def manifest_is_stale(project: DbtProject) -> bool:
    """Whether the manifest is missing or older than a dbt project file."""
    manifest = project.manifest_path
    newest = max((p.stat().st_mtime for p in dbt_project_files()), default=0)
    return not manifest.exists() or manifest.stat().st_mtime < newest


def prepare_manifest() -> None:
    """Parse the dbt project when its manifest is stale (`make setup`, and `emulation refresh` before it loads
    the asset graph); `dagster dev` does the same through `DbtProject.prepare_if_dev()`."""
    project = dbt_project()
    if manifest_is_stale(project):
        dbt = DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE)
        dbt.cli(["parse", "--quiet"], target_path=project.target_path).wait()
