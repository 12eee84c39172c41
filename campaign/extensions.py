"""Extension instances, created unbound and bound to the app in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from campaign.redis_client import RedisQueues


class Base(DeclarativeBase):
    #: stable constraint names, so migrations can drop and alter them on every database
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
login_manager.session_protection = "basic"  # "strong" logs Tor users out on every circuit change
login_manager.login_view = "accounts.login"
login_manager.login_message = None
babel = Babel()
mail = Mail()
csrf = CSRFProtect()
queues = RedisQueues()
