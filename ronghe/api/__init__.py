"""The one NinjaAPI of ronghe; each app contributes its ``api.router``."""

from ninja import NinjaAPI

from ronghe import __version__
from ronghe.apps.assessments.api import router as assessments_router
from ronghe.apps.frameworks.api import router as frameworks_router

api = NinjaAPI(title="ronghe API", version=__version__, docs_url="/docs",
               description="两化融合 assessment, certification and regional evaluation")
api.add_router("/frameworks", frameworks_router)
api.add_router("/assessments", assessments_router)
