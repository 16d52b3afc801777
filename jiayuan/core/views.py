from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import jobs
from .models import Job
from .web import paginate
from .xlsx import xlsx_file_response


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


# --- Background jobs: a page per job, its progress polled, its file ----------------------------------------


def _own_job(request, pk) -> Job:
    """A job is its starter's: anyone else gets 404, as for any row outside their scope."""
    return get_object_or_404(Job.objects.defer("payload", "result"), pk=pk, owner_id=request.user.pk)


def _job_context(job: Job) -> dict:
    context = {"job": job, "finished": job.status in (Job.Status.DONE, Job.Status.FAILED)}
    kind = jobs.KINDS.get(job.kind)
    if job.status == Job.Status.DONE and kind is not None and kind.report_template:
        context["report_template"] = kind.report_template
        context.update(kind.report_context(job) if kind.report_context else {"report": job.report})
    return context


@login_required
@require_GET
def job_list(request):
    """The exports and imports I started, newest first: each one's page holds its file or its row report."""
    mine = Job.objects.filter(owner=request.user).defer("payload", "result").order_by("-created_at", "-pk")
    return render(request, "core/job_list.html", {"page_obj": paginate(request, mine)})


@login_required
@require_GET
def job_detail(request, pk):
    job = _own_job(request, pk)
    jobs.nudge(job)
    return render(request, "core/job.html", _job_context(job))


@login_required
@require_GET
def job_progress(request, pk):
    """The progress panel, polled by the page until the job finishes; each poll restarts a stalled job."""
    job = _own_job(request, pk)
    jobs.nudge(job)
    job.refresh_from_db()
    return render(request, "core/_job_progress.html", _job_context(job))


@login_required
@require_GET
def job_file(request, pk):
    job = get_object_or_404(Job, pk=pk, owner_id=request.user.pk, status=Job.Status.DONE)
    if not job.result:
        raise Http404
    return xlsx_file_response(job.result_name or f"job{job.pk}.xlsx", bytes(job.result), ascii_filename=f"job{job.pk}")
