"""Settings of the web pages, read from the environment like :class:`ecograph.settings.Settings`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PageSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    embed_frame_ancestors: str = Field(
        default="", validation_alias="ECOGRAPH_EMBED_FRAME_ANCESTORS",
        description="which sites may show /embed pages in an iframe: empty (the default) for any site; else a CSP "
                    "frame-ancestors source list, e.g. \"https://www.example.gob.pe https://*.example.org\", to "
                    "which this site is always added")
