"""Settings, read from the environment (and a ``.env`` file): ``ECOGRAPH_STORE``, ``NEO4J_USER``, ..."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    store: str = Field(default="ecograph.db", validation_alias="ECOGRAPH_STORE",
                       description="a SQLite file path, or a neo4j://, bolt:// or neo4j+s:// URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr = Field(default=SecretStr(""), validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")
