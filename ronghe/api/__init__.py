"""The one NinjaAPI of ronghe; each app contributes its ``api.router``.

Every error is an :class:`~ronghe.api.errors.ErrorOut` (:mod:`ronghe.api.errors`), JSON bodies
are parsed strictly (:mod:`ronghe.api.parser`), lists are paginated (:mod:`ronghe.api.pagination`)
and inputs use the bounded types of :mod:`ronghe.api.fields`.
"""

from ninja import NinjaAPI

from ronghe import __version__
from ronghe.api import errors
from ronghe.api.parser import StrictJSONParser
from ronghe.apps.assessments.api import router as assessments_router
from ronghe.apps.benchmarking.api import router as benchmarking_router
from ronghe.apps.certification.api import router as certification_router
from ronghe.apps.frameworks.api import router as frameworks_router
from ronghe.apps.jobs.api import router as jobs_router
from ronghe.apps.notifications.api import router as notifications_router
from ronghe.apps.programs.api import router as programs_router
from ronghe.apps.providers.api import router as providers_router
from ronghe.apps.regions.api import router as regions_router

api = NinjaAPI(title="ronghe API", version=__version__, docs_url="/docs", parser=StrictJSONParser(),
               description="两化融合 assessment, certification and regional evaluation")
errors.install(api)
api.add_router("/frameworks", frameworks_router)
api.add_router("/assessments", assessments_router)
api.add_router("/benchmarking", benchmarking_router)
api.add_router("/jobs", jobs_router)
api.add_router("/notifications", notifications_router)
api.add_router("/certification", certification_router)
api.add_router("/programs", programs_router)
api.add_router("/providers", providers_router)
api.add_router("/regions", regions_router)
