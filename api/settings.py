"""Settings of the web service, read from the environment (and ``.env``) like the core's.

Every setting has an environment variable; ``ecograph serve`` options override the ones it has.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ecograph.settings import Settings

MIB = 1024 * 1024


class ApiSettings(Settings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    host: str = Field(default="127.0.0.1", validation_alias="ECOGRAPH_HOST", description="address to listen on")
    port: int = Field(default=8000, ge=0, le=65535, validation_alias="ECOGRAPH_PORT", description="port to listen on")
    tokens: str = Field(default="ecograph-tokens.db", validation_alias="ECOGRAPH_TOKENS",
                        description="SQLite file holding the API tokens' hashes (see `ecograph token`)")
    read_token_required: bool = Field(default=False, validation_alias="ECOGRAPH_READ_TOKEN_REQUIRED",
                                      description="when true, reads need a token too (any role)")
    cors_origins: str = Field(default="", validation_alias="ECOGRAPH_CORS_ORIGINS",
                              description="comma-separated origins allowed to call the API from a browser, "
                                          "e.g. https://www.example.org; * for any; empty for none")
    max_upload_bytes: int = Field(default=10 * MIB, ge=1, validation_alias="ECOGRAPH_MAX_UPLOAD_BYTES",
                                  description="largest accepted import upload, in bytes (else 413)")
    max_body_bytes: int = Field(default=1 * MIB, ge=1, validation_alias="ECOGRAPH_MAX_BODY_BYTES",
                                description="largest accepted JSON request body, in bytes (else 413)")
    cache_entries: int = Field(default=512, ge=1, validation_alias="ECOGRAPH_CACHE_ENTRIES",
                               description="how many computed results (reports, maps, pages) to keep in memory; "
                                           "a region page keeps about six, so 512 keep every page of 26 regions "
                                           "warm with room for filtered analyses")

    embed_link_days: int = Field(default=90, ge=1, le=3650, validation_alias="ECOGRAPH_EMBED_LINK_DAYS",
                                 description="how long a signed embed link works when reads need a token")
    analysis_wait: float = Field(default=3.0, ge=0, le=60, validation_alias="ECOGRAPH_ANALYSIS_WAIT",
                                 description="seconds a request waits for an analysis being computed before it is "
                                             "answered 202 (pages: a notice)")
    analysis_workers: int = Field(default=0, ge=0, le=256, validation_alias="ECOGRAPH_ANALYSIS_WORKERS",
                                  description="processes that compute the stored analysis of a large dataset "
                                              "version; 0: one per core")
    analyse_in_background: bool = Field(default=True, validation_alias="ECOGRAPH_ANALYSE_IN_BACKGROUND",
                                        description="compute the analysis of each new dataset version in a "
                                                    "background thread of this process")

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ecograph")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


APP_VERSION = _app_version()
